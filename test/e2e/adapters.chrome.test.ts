import { adaptersSuite } from './adapters.js';

adaptersSuite('chrome');
