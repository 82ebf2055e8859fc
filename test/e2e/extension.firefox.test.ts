import { extensionSuite } from './suite.js';

extensionSuite('firefox');
