import { portalSuite } from './portal.js';

portalSuite('chrome');
