// npm run bench: every benchmark, each against a baseline measured in the same run.
import { benchExtract, printExtract } from './extract.ts';
import { benchCycle, printCycle } from './cycle.ts';
import { benchServe, printServe } from './serve.ts';

printExtract(benchExtract());
console.log('');
printCycle(await benchCycle());
console.log('');
printServe(await benchServe());
