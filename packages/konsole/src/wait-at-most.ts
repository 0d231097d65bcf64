/**
 * Resolves with what `promise` resolves to, or null once `ms` have passed first. The timer is
 * cleared either way, so a grace period that was not needed keeps nothing alive.
 */
export async function waitAtMost<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
