/** A first-come, first-served lock: `acquire` resolves with the function that releases it. */
export interface Lease {
  acquire(): Promise<() => void>;
}

export function createLease(): Lease {
  let tail: Promise<void> = Promise.resolve();
  return {
    acquire() {
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const ready = tail.then(() => release);
      tail = tail.then(() => held);
      return ready;
    },
  };
}
