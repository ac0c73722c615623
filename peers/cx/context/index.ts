/** The context hierarchy of the reference CX peers: organisation, product lines, protocols. */
export { loadContextHierarchy, assembleContext, DEFAULT_CONTEXT_DIR } from "./context.ts";
export type { ContextHierarchy, ContextRequest } from "./context.ts";
export { OrganisationContext, ProductContext, ProtocolContext, AssembledContext } from "./context-schema.ts";
