import { extensionSuite } from './suite.js';

extensionSuite('chrome');
