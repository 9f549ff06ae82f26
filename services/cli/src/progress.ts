/** Where progress goes: stderr, so stdout stays clean for what a command prints as its result. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** `done` more items are finished. */
  advance(done?: number): void;
  /** All finished: a terminal's bar gives way to one closing line. */
  finish(): void;
}

const BAR_WIDTH = 30;
/** A terminal is redrawn at most this often, so a fast loop does not spend its time printing. */
const REDRAW_MS = 80;

function bar(label: string, done: number, total: number): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * BAR_WIDTH);
  return `${label} [${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${Math.floor(share * 100)}% ${done}/${total}`;
}

/**
 * Progress of a long command (glossary import, backfills). On a terminal, one bar redrawn in
 * place; piped into a file or another program, plain lines at each tenth and at the end, with
 * no escape codes, so a log stays readable.
 */
export function startProgress(label: string, total: number, stream: ProgressStream = process.stderr): Progress {
  let done = 0;
  let lastDraw = 0;
  let lastTenth = 0;
  const tty = stream.isTTY === true;
  const draw = () => {
    const line = bar(label, done, total);
    stream.write(`\r${line.slice(0, (stream.columns ?? 80) - 1)}\x1b[K`);
    lastDraw = Date.now();
  };
  return {
    advance(count = 1) {
      done = Math.min(total, done + count);
      if (tty) {
        if (Date.now() - lastDraw >= REDRAW_MS) draw();
        return;
      }
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (tenth > lastTenth && done < total) {
        lastTenth = tenth;
        stream.write(`${label}: ${done}/${total}\n`);
      }
    },
    finish() {
      if (tty) {
        draw();
        stream.write("\n");
      } else {
        stream.write(`${label}: ${done}/${total} done\n`);
      }
    },
  };
}
