import { playersSuite } from './players.js';

playersSuite('firefox');
