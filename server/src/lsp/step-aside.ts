/**
 * How the background scan steps aside for the editor between two of its slices. A message that
 * came in while the scan worked is read in the next turn of the event loop, but reaches its
 * handler two callbacks later, each queued for the turn after: vscode-jsonrpc's reader decodes it
 * in an immediate of its own, and its connection dispatches it in another. Each of those runs
 * behind the scan's own next turn, so with two turns the scan went on with its next file first,
 * and a `didOpen` waited for that file's analysis too (30 ms of the 100 ms its first diagnostics
 * may take). A large message can also arrive in several reads, over several turns: the scan waits
 * until the transport has read nothing new for as long as a message takes to reach its handler.
 */
import { transportReads } from './host';

/** Turns of the event loop from reading a message to its handler, and one for the handler to start. */
export const TURNS_TO_DISPATCH = 3;

/** Resolves once every message read so far has reached its handler (`reads`: the transport's reads so far). */
export async function letMessagesIn(reads: () => number = transportReads): Promise<void> {
  for (let seen = -1; seen !== reads(); ) {
    seen = reads();
    for (let turn = 0; turn < TURNS_TO_DISPATCH; turn++) await new Promise((resolve) => setImmediate(resolve));
  }
}
