import type { Panel, PanelOptions } from '../demo/panel/index.js';
import type { ViteDevServer } from 'vite';

export type DemoPanelName = 'classic' | 'masked' | 'xcvm';
export declare const PANEL_NAMES: readonly DemoPanelName[];
export declare const PANEL_SETUP: Record<DemoPanelName, Pick<PanelOptions, 'style' | 'flood'>>;

export interface DemoOptions {
  /** The demo server's port (0: a free one; default 5173). */
  port?: number;
  strictPort?: boolean;
  /** 0 / absent: free ports. */
  panelPorts?: Partial<Record<DemoPanelName, number>>;
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
  /** Extra startPanel options for every panel. */
  panelOptions?: Partial<PanelOptions>;
}

export interface Demo {
  /** `http://127.0.0.1:PORT/` (with the slash). */
  readonly url: string;
  readonly panels: Record<DemoPanelName, Panel>;
  readonly server: ViteDevServer;
  stop(): Promise<void>;
}

export declare function startDemo(options?: DemoOptions): Promise<Demo>;
