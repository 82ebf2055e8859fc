import { playersSuite } from './players.js';

playersSuite('chrome');
