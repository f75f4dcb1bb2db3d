/**
 * The transport's encoding of what the diagnostics publisher sends: the same bytes as
 * `JSON.stringify` of the message, with the bytes of a finding that did not change kept from one
 * keystroke to the next (counted in items encoded, not timed).
 */
import * as assert from 'node:assert/strict';
import { Connection } from 'vscode-languageserver/node';
import { analyzeText } from '../../src/analysis/engine';
import { DiagnosticsPublisher, MAX_DIAGNOSTICS } from '../../src/lsp/diagnostics';
import { jsonEncoder, messageEncodingStats } from '../../src/lsp/message-encoding';
import type { Logger } from '../../src/lsp/logger';
import { initParser, parseRust } from '../../src/parsing/parser';
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
    publish(p, VARIED, 3);
    assert.deepEqual(sent.map((s) => s.method), ['textDocument/publishDiagnostics', FILE_FINDINGS_NOTIFICATION]);
    const diagnostics = (sent[0].params as { diagnostics: { tags?: number[]; relatedInformation?: unknown[]; message: string }[] }).diagnostics;
    // The shapes this test is about are there.
    assert.ok(diagnostics.some((d) => d.tags), 'a tagged diagnostic');
    assert.ok(diagnostics.some((d) => d.relatedInformation), 'one with related locations');
    assert.ok(diagnostics.some((d) => /[^\x00-\x7f]/.test(d.message)), 'a non-ASCII message');
    for (const s of sent) {
      const { ours, stringified } = await encoded(s);
      assert.equal(ours, stringified);
    }
  });

  it(`writes a document of more than ${MAX_DIAGNOSTICS} findings, its notice of those left out included, as JSON.stringify does`, async () => {
    const { publisher: p, sent } = publisher();
    publish(p, `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(MAX_DIAGNOSTICS + 5)}}\n`, 1);
    assert.equal((sent[0].params as { diagnostics: unknown[] }).diagnostics.length, MAX_DIAGNOSTICS);
    assert.ok('counts' in sent[1].params, 'the findings model has the counts of all findings');
    for (const s of sent) {
      const { ours, stringified } = await encoded(s);
      assert.equal(ours, stringified);
    }
  });

  it('encodes again only the findings a keystroke changed', async () => {
    const { publisher: p, sent } = publisher();
    const text = `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(200)}}\n`;
    const tree = parseRust(text);
    // The server's classification memo hands out the same findings again for sites a keystroke kept.
    const findings = analyzeText(URI, text, undefined, tree);
    p.publish(URI, findings, 1, { text, tree });
    for (const s of sent) await encoded(s);
    const before = messageEncodingStats.itemsEncoded;
    // A keystroke that moves no finding: the diagnostics go again, with the new version.
    p.publish(URI, findings, 2, { text, tree });
    assert.deepEqual(sent.slice(2).map((s) => s.method), ['textDocument/publishDiagnostics']);
    const { ours, stringified } = await encoded(sent[2]);
    assert.equal(ours, stringified);
    assert.equal(messageEncodingStats.itemsEncoded, before, 'the same findings: only their version is new');
    // One that moves every finding a line down: each diagnostic and each finding of the model is new, once.
    publish(p, text.replace('{\n', '{\n\n'), 3);
    assert.deepEqual(sent.slice(3).map((s) => s.method), ['textDocument/publishDiagnostics', FILE_FINDINGS_NOTIFICATION]);
    for (const s of sent.slice(3)) {
      const both = await encoded(s);
      assert.equal(both.ours, both.stringified);
    }
    assert.equal(messageEncodingStats.itemsEncoded, before + 2 * 200);
  });

  it('keeps nothing for a closed file, which is not republished keystroke by keystroke', async () => {
    const { publisher: p, sent } = publisher();
    publish(p, `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(20)}}\n`, null);
    const before = messageEncodingStats.itemsEncoded;
    for (const s of sent) {
      const { ours, stringified } = await encoded(s);
      assert.equal(ours, stringified);
    }
    assert.equal(messageEncodingStats.itemsEncoded, before);
  });
});
