import { status } from "@grpc/grpc-js";
import type { AgentDeskServiceHandlers } from "./generated/casemesh/v1/AgentDeskService.ts";
import type { RpcGuard } from "./rpc.ts";

/** Placeholder until the agent desk lands: every method answers UNIMPLEMENTED. */
export function agentDeskService(_deps: { guard: RpcGuard }): AgentDeskServiceHandlers {
  const unimplemented = (_call: unknown, callback?: (err: { code: status; details: string }) => void) =>
    callback?.({ code: status.UNIMPLEMENTED, details: "the agent desk is not built yet" });
  return {
    SignIn: (call) => call.emit("error", { code: status.UNIMPLEMENTED, details: "the agent desk is not built yet" }),
    Accept: unimplemented,
    Decline: unimplemented,
    Reply: unimplemented,
    Resolve: unimplemented,
    HandBack: unimplemented,
  };
}
