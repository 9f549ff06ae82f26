import { isAbsolute, relative, sep } from "node:path";

/** Whether `path` lies inside `root` (or is it), both absolute; by their names only, no file is read. */
export function isPathInside(root: string, path: string): boolean {
  const between = relative(root, path);
  return between === "" || (between !== ".." && !between.startsWith(`..${sep}`) && !isAbsolute(between));
}
