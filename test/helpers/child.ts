// Runs feedrelay as a real child process and follows its JSON log lines.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  proc: ChildProcess;
  lines: Array<Record<string, unknown>>;
  waitFor(pred: (l: Record<string, unknown>) => boolean, count?: number, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  stderr: () => string;
}

export function startChild(args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  let buf = '';
  let err = '';
  const waiters: Array<() => void> = [];
  proc.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        /* not a log line */
      }
    }
    for (const w of waiters.splice(0)) w();
  });
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((r) => {
    proc.on('exit', (code, signal) => {
      r({ code, signal, at: performance.now() });
    });
  });
  return {
    proc,
    lines,
    exited,
    stderr: () => err,
    async waitFor(pred, count = 1, timeoutMs = 30000) {
      const deadline = Date.now() + timeoutMs;
      while (lines.filter(pred).length < count) {
        if (Date.now() > deadline || proc.exitCode !== null) {
          throw new Error(`waited for ${count} matching log lines; saw ${lines.filter(pred).length}. stderr: ${err}`);
        }
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
  };
}

export function rssFeed(name: string, items: number): string {
  const entries = Array.from({ length: items }, (_, i) => `<item><title>${name} post ${i}</title><link>https://${name}.example/post/${i}</link><guid>https://${name}.example/?p=${i}</guid><pubDate>Mon, 0${1 + (i % 9)} Jan 2024 10:00:00 +0000</pubDate><description>Post ${i} of ${name}.</description></item>`).join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${name}</title><link>https://${name}.example/</link><description>d</description>${entries}</channel></rss>`;
}
