// The sign-in handed from one tab to the next inside the refresh lock (src/api/client.ts).
// localStorage, which the tabs share, reaches another tab a moment after it is written (Chromium's
// pages each cache it), and that moment may come after the lock has passed to that tab: it would
// present the refresh token just used, and the server would end the sign-in. A committed
// IndexedDB transaction is seen at once by every tab, so the tab that refreshed writes the new
// sign-in there too and lets go of the lock only once it is committed; the next holder reads it
// there. Failures are silent (no IndexedDB, a private window): the hand-off is localStorage's alone.
import { parseSignIn, type SignIn } from './tokens';

const DB = 'keel';
const STORE = 'sign-in';
const KEY = 'current';
// The lock waits for this at most (every tab's refresh waits behind it).
const TIMEOUT_MS = 2_000;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.onblocked = () => reject(new Error('IndexedDB blocked'));
  });
}

// One transaction on the store: `use`'s request's result once the transaction has committed.
async function transact(mode: IDBTransactionMode, use: (s: IDBObjectStore) => IDBRequest): Promise<unknown> {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = use(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

function bounded<T>(p: Promise<T>, otherwise: T): Promise<T> {
  return Promise.race([p.catch(() => otherwise), new Promise<T>((r) => setTimeout(() => r(otherwise), TIMEOUT_MS))]);
}

const available = () => typeof indexedDB !== 'undefined';

// The sign-in last handed over (null: none, or none readable).
export function readHandoff(): Promise<SignIn | null> {
  if (!available()) return Promise.resolve(null);
  const read = transact('readonly', (s) => s.get(KEY)).then((v) => parseSignIn(typeof v === 'string' ? v : null));
  return bounded(read, null);
}

// Hands `s` over (null: removes it); resolves once committed, or given up.
export function writeHandoff(s: SignIn | null): Promise<void> {
  if (!available()) return Promise.resolve();
  const write = transact('readwrite', (st) => (s ? st.put(JSON.stringify(s), KEY) : st.delete(KEY))).then(() => undefined);
  return bounded(write, undefined);
}
