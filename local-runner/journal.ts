/**
 * The runner's write-ahead journal: what a stack session is doing, on disk before it happens.
 * The state (state.ts) records a stack only once its session ends; a run killed in between (kill
 * -9, a closed laptop, a CI timeout) would leave resources that no command knows. So, before each
 * side effect, the session writes its intent here — the stack's id (which the import's ClientToken
 * derives from), a generated bucket name, the resource it is about to create — and, once a resource
 * is provisioned, the resource itself. The next command reads the journal of a session that never
 * ended and recovers from it (resource-recovery.ts); a session that ends closes its entry.
 *
 * Every write replaces the file atomically (written, flushed, renamed), so a kill leaves the old
 * journal or the new one, never half of one.
 */
import * as fs from 'fs';
import { ResourceState, RunnerStateError } from './state';
import { writeFileAtomically } from '../emulator/atomic-file';

/** A side effect started but not known to have ended: the resource as it is being made. */
export interface Intent extends Omit<ResourceState, 'physicalId' | 'attributes'> {
  /** Known before the call (a bucket's name) or as soon as the service answers (an instance's id, an import's job id). */
  readonly physicalId?: string;
}

/** One stack session that has not ended. */
export interface JournalEntry {
  /** The stack's ARN as the session uses it: the next session of the stack reuses it. */
  readonly stackId: string;
  readonly account: string;
  readonly region: string;
  readonly hierarchicalId?: string;
  /** Physical names generated for logical ids (a bucket's), reused by the next session. */
  readonly names: Record<string, string>;
  /** Resources the session provisioned, by logical id, not yet in the state. */
  readonly resources: Record<string, ResourceState>;
  /** Side effects under way, by logical id. */
  readonly intents: Record<string, Intent>;
}

interface JournalFile {
  readonly format: typeof JOURNAL_FORMAT;
  readonly sessions: Record<string, JournalEntry>;
}

const JOURNAL_FORMAT = 'panorama-local-journal/1';

/** Where a session stands, for its first write. */
export interface SessionIdentity {
  readonly stackId: string;
  readonly account: string;
  readonly region: string;
  readonly hierarchicalId?: string;
}

/** The journal of one state folder (in memory only when the runner keeps no state file). */
export class Journal {
  /** How many times the journal was written, and how long the writes took in all (for the benchmarks). */
  readonly writes = { count: 0, totalMs: 0 };
  private readonly sessions: Record<string, JournalEntry>;

  constructor(private readonly file?: string) {
    this.sessions = file ? readJournal(file) : {};
  }

  /** The unfinished session of a stack, if any. */
  entry(stackName: string): JournalEntry | undefined {
    return this.sessions[stackName];
  }

  /** The stacks with an unfinished session. */
  stackNames(): string[] {
    return Object.keys(this.sessions);
  }

  /** A name for a generated physical resource: the one an earlier session reserved, else `make()`'s, written before it is used. */
  reserveName(stackName: string, session: SessionIdentity, logicalId: string, make: () => string): string {
    const known = this.sessions[stackName]?.names[logicalId];
    if (known) return known;
    const name = make();
    this.update(stackName, session, (entry) => ({ ...entry, names: { ...entry.names, [logicalId]: name } }));
    return name;
  }

  /** Records that a resource is about to be made (before the call that makes it). */
  intend(stackName: string, session: SessionIdentity, logicalId: string, intent: Intent): void {
    this.update(stackName, session, (entry) => ({ ...entry, intents: { ...entry.intents, [logicalId]: intent } }));
  }

  /** Records the physical id of the resource under way, as soon as the service named it. */
  identify(stackName: string, logicalId: string, physicalId: string): void {
    const entry = this.sessions[stackName];
    const intent = entry?.intents[logicalId];
    if (!entry || !intent || intent.physicalId === physicalId) return;
    this.sessions[stackName] = { ...entry, intents: { ...entry.intents, [logicalId]: { ...intent, physicalId } } };
    this.save();
  }

  /** The resource is made: it leaves the intents for the resources. */
  provisioned(stackName: string, logicalId: string, resource: ResourceState): void {
    const entry = this.sessions[stackName];
    if (!entry) return;
    const { [logicalId]: _done, ...intents } = entry.intents;
    this.sessions[stackName] = { ...entry, intents, resources: { ...entry.resources, [logicalId]: resource } };
    this.save();
  }

  /** The session ended and the state records its outcome: its entry goes. */
  close(stackName: string): void {
    if (!(stackName in this.sessions)) return;
    delete this.sessions[stackName];
    this.save();
  }

  private update(stackName: string, session: SessionIdentity, change: (entry: JournalEntry) => JournalEntry): void {
    const entry = this.sessions[stackName] ?? {
      stackId: session.stackId,
      account: session.account,
      region: session.region,
      ...(session.hierarchicalId !== undefined ? { hierarchicalId: session.hierarchicalId } : {}),
      names: {},
      resources: {},
      intents: {},
    };
    this.sessions[stackName] = change(entry);
    this.save();
  }

  private save(): void {
    if (!this.file) return;
    const started = process.hrtime.bigint();
    const content: JournalFile = { format: JOURNAL_FORMAT, sessions: this.sessions };
    writeFileAtomically(this.file, JSON.stringify(content));
    this.writes.count++;
    this.writes.totalMs += Number(process.hrtime.bigint() - started) / 1e6;
  }
}

/** The sessions of a journal file; none when it does not exist. An unreadable one is refused: what it holds cannot be recovered otherwise. */
function readJournal(file: string): Record<string, JournalEntry> {
  if (!fs.existsSync(file)) return {};
  let parsed: JournalFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as JournalFile;
  } catch (error) {
    throw new RunnerStateError(file, `is not valid JSON (${(error as Error).message}): what an interrupted command started cannot be recovered from it.`);
  }
  if (parsed?.format !== JOURNAL_FORMAT || typeof parsed.sessions !== 'object' || parsed.sessions === null) {
    throw new RunnerStateError(file, `is not a panorama-local journal (format ${JSON.stringify(parsed?.format)}, expected "${JOURNAL_FORMAT}").`);
  }
  return parsed.sessions;
}
