// Types for the test that calls the layer check without spawning it.
export interface LayerRow {
  imports: string[];
  testImports?: string[];
}
export interface KnownLeak {
  file: string;
  imports: string[];
  reason: string;
}
export const LAYERS: Record<string, LayerRow>;
export const KNOWN_LEAKS: KnownLeak[];
export function checkWorkspace(
  root: string,
  options?: { layers?: Record<string, LayerRow>; knownLeaks?: KnownLeak[] },
): string[];
