import { pathToFileURL } from "node:url";

/**
 * True when the module at `moduleUrl` (its `import.meta.url`) is the script
 * node was started with. Compares URLs built the same way, so a path with
 * spaces or other characters a URL escapes still matches.
 */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && moduleUrl === pathToFileURL(script).href;
}
