import { runBefore } from './openim-load.ts';
import { buildCorpus } from './moderation-corpus.ts';
import { readFileSync, writeFileSync } from 'node:fs';
const base = process.argv[2]!;
const corpus = buildCorpus(4000);
if (process.argv[3]) { writeFileSync(process.argv[3], JSON.stringify({ blocked: corpus.terms })); process.exit(0); }
const t = JSON.parse(readFileSync('events/callbackBeforeSendGroupMsgCommand.json', 'utf8'));
const bodies = corpus.lines.map(({ text }, i) => JSON.stringify({ ...t, clientMsgID: `b-${i}`, content: JSON.stringify({ text, atUserList: [], isAtSelf: false }) }) + '\n');
const clean = process.env.CLEAN ? bodies.filter((_, i) => !corpus.lines[i]!.term) : bodies;
console.log(JSON.stringify(await runBefore({ url: `${base}/callbackBeforeSendGroupMsgCommand`, bodies: clean }, 32, 5)));
