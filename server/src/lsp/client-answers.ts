/**
 * Requests to the client that the server waits on before it can go on: the settings before the
 * first analysis, a progress token before the scan. A client that declares the capability and
 * then never answers (a hand-written or fuzzing client, a client stuck on a dialog) must not hold
 * back every diagnostic and hover: past `CLIENT_ANSWER_MS` the server goes on without the answer.
 */
export const CLIENT_ANSWER_MS = 3000;

export const NO_ANSWER = Symbol('no answer');

/** The request's answer, or `NO_ANSWER` when it has not come within `ms`; `late` gets an answer that comes after. */
export function answerWithin<T>(request: Promise<T>, late: (answer: T) => void = () => undefined, ms = CLIENT_ANSWER_MS): Promise<T | typeof NO_ANSWER> {
  let timedOut = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      timedOut = true;
      resolve(NO_ANSWER);
    }, ms);
    request.then(
      (answer) => {
        clearTimeout(timer);
        if (timedOut) late(answer);
        else resolve(answer);
      },
      (e: unknown) => {
        clearTimeout(timer);
        if (!timedOut) reject(e);
      },
    );
  });
}
