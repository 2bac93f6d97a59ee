// npm run bench: every benchmark, each reported as a ratio to a baseline measured in the same run.
import { benchExtract } from './extract.ts';
import { benchCycle, printCycle } from './cycle.ts';

const r = benchExtract();
console.log(`extraction over ${r.pages} corpus pages (articles/s; each page's fastest of ${r.rounds} alternating runs)`);
console.log(`  raw Readability on linkedom   ${r.rawReadabilityPerSec.toFixed(1)}`);
console.log(`  feedrelay extract+normalize   ${r.feedrelayPerSec.toFixed(1)}`);
console.log(`  ratio                         ${r.ratio.toFixed(2)}x   (target >= 0.70x)`);
console.log('');
printCycle(await benchCycle());
