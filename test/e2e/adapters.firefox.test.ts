import { adaptersSuite } from './adapters.js';

adaptersSuite('firefox');
