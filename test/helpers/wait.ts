// Polling for what another process or a job queue does in its own time: true as soon as `pred`
// holds, or what it says when `ms` have passed.
export async function until(pred: () => boolean | Promise<boolean>, ms: number, everyMs = 100): Promise<boolean> {
  const end = Date.now() + ms;
  while (!(await pred()) && Date.now() < end) await new Promise((r) => setTimeout(r, everyMs));
  return pred();
}
