import { portalSuite } from './portal.js';

portalSuite('firefox');
