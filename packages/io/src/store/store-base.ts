import type { ArtefactStore, RangeReader } from './artefact-store.js';

const utf8 = new TextDecoder('utf-8');

/** The text and JSON conveniences, written once on top of put/get. */
export abstract class StoreBase implements ArtefactStore {
  abstract put(key: string, body: Uint8Array | string): Promise<void>;
  abstract get(key: string): Promise<Uint8Array>;
  abstract exists(key: string): Promise<boolean>;
  abstract list(prefix: string): Promise<string[]>;
  abstract listDirs(prefix: string): Promise<string[]>;
  abstract deletePrefix(prefix: string): Promise<number>;
  abstract describe(key?: string): string;
  abstract openRange(key: string): Promise<RangeReader>;

  async getText(key: string): Promise<string> {
    return utf8.decode(await this.get(key));
  }

  async putJson(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value, null, 2);
    if (text === undefined) throw new Error(`cannot write ${this.describe(key)}: value is not JSON-serialisable`);
    await this.put(key, text + '\n');
  }

  async getJson<T = unknown>(key: string): Promise<T> {
    const text = await this.getText(key);
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new Error(`${this.describe(key)} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
  }
}
