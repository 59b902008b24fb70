/**
 * The command that starts a self-hosted upstream the project ships (the simulated teacher), on the
 * port the config expects it; undefined for any other model, which the user runs themselves.
 *
 * @example
 * startCommand('http://127.0.0.1:8000/v1', 'simulated-planner') // 'npx teacher-train simulated-vlm --port 8000'
 */
export function startCommand(baseURL: string, model: string | undefined): string | undefined {
  if (model !== 'simulated-planner') return undefined;
  let port = '8000';
  try {
    port = new URL(baseURL).port || port;
  } catch {
    // Keep the default port in the hint.
  }
  return `npx teacher-train simulated-vlm --port ${port}`;
}
