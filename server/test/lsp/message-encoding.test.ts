/**
 * The transport's encoding of what the diagnostics publisher sends: the same bytes as
 * `JSON.stringify` of the message, with the JSON of a finding published again kept from one
 * keystroke to the next (counted in items encoded, not timed).
 */
import * as assert from 'node:assert/strict';
import { Connection } from 'vscode-languageserver/node';
import { analyzeText } from '../../src/analysis/engine';
import { DiagnosticsPublisher, MAX_DIAGNOSTICS } from '../../src/lsp/diagnostics';
import { jsonEncoder, messageEncodingStats } from '../../src/lsp/message-encoding';
import type { Logger } from '../../src/lsp/logger';
import { Tree, initParser, parseRust } from '../../src/parsing/parser';
import type { Finding } from '../../../shared/src/findings';
import { FILE_FINDINGS_NOTIFICATION } from '../../../shared/src/protocol';

const URI = 'file:///tmp/d%C3%A9j%C3%A0/doc.rs';

/** Findings of every shape a diagnostic takes: related locations, a tag, a non-ASCII message. */
const VARIED = `use std::rc::Rc;
use std::cell::RefCell;
use once_cell::sync::Lazy;

static NOMS_É: Lazy<Vec<String>> = Lazy::new(|| vec![String::from("é")]);

struct Node { next: RefCell<Option<Rc<Node>>> }

fn leak_each(requests: &[&str]) {
    for r in requests {
        let _s: &'static str = Box::leak(r.to_string().into_boxed_str());
    }
}

fn 名前() { let p = Box::into_raw(Box::new(1)); let _ = p; }

fn main() { leak_each(&[]); 名前(); let _ = NOMS_É.len(); let _ = Node { next: RefCell::new(None) }; }
`;

type Sent = { method: string; params: object };

function publisher(): { publisher: DiagnosticsPublisher; sent: Sent[] } {
  const sent: Sent[] = [];
  const connection = {
    sendDiagnostics: (params: object) => (sent.push({ method: 'textDocument/publishDiagnostics', params }), Promise.resolve()),
    sendNotification: (method: string, params: object) => (sent.push({ method, params }), Promise.resolve()),
  } as unknown as Connection;
  const quiet = { warn: () => {}, debug: () => {}, info: () => {}, error: () => {} } as unknown as Logger;
  return { publisher: new DiagnosticsPublisher(connection, quiet), sent };
}

function publish(p: DiagnosticsPublisher, text: string, version: number | null): void {
  const tree = parseRust(text);
  p.publish(URI, analyzeText(URI, text, undefined, tree), version, version === null ? undefined : { text, tree });
}

/**
 * `text`'s findings published after the same but its last: the second publication of a document
 * whose findings are mostly those of the first is what the writer encodes itself.
 */
function publishAgainWithOneMore(p: DiagnosticsPublisher, text: string): void {
  const tree = parseRust(text);
  const findings = analyzeText(URI, text, undefined, tree);
  p.publish(URI, findings.slice(0, -1), 1, { text, tree });
  p.publish(URI, findings, 2, { text, tree });
}

/** What the stream writer sends for `sent`: its encoder's bytes, and those of `JSON.stringify`. */
async function encoded(sent: Sent): Promise<{ ours: string; stringified: string }> {
  const message = { jsonrpc: '2.0', method: sent.method, params: sent.params };
  const bytes = await jsonEncoder.encode(message, { charset: 'utf-8' });
  return { ours: Buffer.from(bytes).toString('utf8'), stringified: JSON.stringify(message) };
}

describe('the encoding of outgoing messages', () => {
  before(() => initParser());

  it('writes the diagnostics and findings model of an open document byte for byte as JSON.stringify does', async () => {
    const { publisher: p, sent } = publisher();
    publishAgainWithOneMore(p, VARIED);
    const own = sent.slice(2);
    assert.deepEqual(own.map((s) => s.method), ['textDocument/publishDiagnostics', FILE_FINDINGS_NOTIFICATION]);
    const diagnostics = (own[0].params as { diagnostics: { tags?: number[]; relatedInformation?: unknown[]; message: string }[] }).diagnostics;
    // The shapes this test is about are there.
    assert.ok(diagnostics.some((d) => d.tags), 'a tagged diagnostic');
    assert.ok(diagnostics.some((d) => d.relatedInformation), 'one with related locations');
    assert.ok(diagnostics.some((d) => /[^\x00-\x7f]/.test(d.message)), 'a non-ASCII message');
    const before = messageEncodingStats.itemsEncoded;
    for (const s of own) {
      const { ours, stringified } = await encoded(s);
      assert.equal(ours, stringified);
    }
    assert.ok(messageEncodingStats.itemsEncoded > before, 'written by the encoder, not by JSON.stringify');
  });

  it(`writes a document of more than ${MAX_DIAGNOSTICS} findings, its notice of those left out included, as JSON.stringify does`, async () => {
    const { publisher: p, sent } = publisher();
    publishAgainWithOneMore(p, `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(MAX_DIAGNOSTICS + 5)}}\n`);
    const own = sent.slice(2);
    assert.equal((own[0].params as { diagnostics: unknown[] }).diagnostics.length, MAX_DIAGNOSTICS);
    assert.ok('counts' in own[1].params, 'the findings model has the counts of all findings');
    for (const s of own) {
      const { ours, stringified } = await encoded(s);
      assert.equal(ours, stringified);
    }
  });

  it('encodes again only the findings that were not published the time before, and none when most are new', async () => {
    const { publisher: p, sent } = publisher();
    const text = `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(200)}}\n`;
    const tree = parseRust(text);
    // The server's classification memo hands out the same findings again for sites a keystroke kept.
    const findings = analyzeText(URI, text, undefined, tree);
    const moved = text.replace('{\n', '{\n\n');
    const movedTree = parseRust(moved);
    const elsewhere = analyzeText(URI, moved, undefined, movedTree);
    // One finding moved, the rest kept.
    const oneMoved = [elsewhere[0], ...findings.slice(1)];
    const steps: [Finding[], string, Tree][] = [
      [findings, text, tree],
      // Published again: kept from now on.
      [findings, text, tree],
      [findings, text, tree],
      // The moved one's diagnostic is new (not kept yet), and the findings model goes, its 199 others kept.
      [oneMoved, text, tree],
      [oneMoved, text, tree],
      // Every finding a line down: JSON.stringify's, none of it worth keeping yet; then kept, but
      // for the one that moved first, kept already.
      [elsewhere, moved, movedTree],
      [elsewhere, moved, movedTree],
      [elsewhere, moved, movedTree],
    ];
    const encodedPerStep: number[] = [];
    for (const [version, [f, t, tr]] of steps.entries()) {
      const from = sent.length;
      p.publish(URI, f, version + 1, { text: t, tree: tr });
      const before = messageEncodingStats.itemsEncoded;
      for (const s of sent.slice(from)) {
        const { ours, stringified } = await encoded(s);
        assert.equal(ours, stringified);
      }
      encodedPerStep.push(messageEncodingStats.itemsEncoded - before);
    }
    // The first publication is JSON.stringify's; the findings model goes only when findings move.
    assert.deepEqual(encodedPerStep, [0, 200, 0, 201, 1, 0, 199, 0]);
  });

  it('keeps nothing for a closed file, which is not republished keystroke by keystroke', async () => {
    const { publisher: p, sent } = publisher();
    publish(p, `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(20)}}\n`, null);
    publish(p, `fn main() {\n${'    Box::leak(Box::new(2));\n'.repeat(20)}}\n`, null);
    const before = messageEncodingStats.itemsEncoded;
    for (const s of sent) {
      const { ours, stringified } = await encoded(s);
      assert.equal(ours, stringified);
    }
    assert.equal(messageEncodingStats.itemsEncoded, before);
  });
});
