/**
 * Dependency graphs, of resources and of stacks. {@link runGraph} runs one action per node as soon
 * as the nodes it waits for are done, so independent nodes run concurrently, as CloudFormation runs
 * independent resources. After a failure (unless `continueAfterFailure`: then only what waits for
 * the failed node is not started), or once `stop` says so (a cancelled deployment), nothing new
 * starts; what runs finishes. {@link orderByDependencies} orders nodes, refusing a cycle.
 */

/** How a run ended. */
export interface GraphRun {
  /** Nodes whose action succeeded, in order of completion. */
  readonly completed: string[];
  readonly failed: Array<{ readonly id: string; readonly error: Error }>;
  /** Nodes not started because an earlier one failed (or one they wait for), or the run was stopped. */
  readonly notStarted: string[];
}

export async function runGraph(
  ids: string[], waitsFor: (id: string) => string[], action: (id: string) => Promise<void>, stop: () => boolean = () => false,
  options: { readonly continueAfterFailure?: boolean } = {},
): Promise<GraphRun> {
  const run = { completed: [] as string[], failed: [] as Array<{ id: string; error: Error }>, notStarted: [] as string[] };
  const done = new Map<string, Promise<boolean>>();
  let stopped = false;
  const start = (id: string): Promise<boolean> => {
    let promise = done.get(id);
    if (promise) return promise;
    promise = (async () => {
      const ok = await Promise.all(waitsFor(id).filter((d) => ids.includes(d)).map(start));
      if ((stopped && !options.continueAfterFailure) || ok.includes(false) || stop()) {
        run.notStarted.push(id);
        return false;
      }
      try {
        await action(id);
        run.completed.push(id);
        return true;
      } catch (e) {
        stopped = true;
        run.failed.push({ id, error: e instanceof Error ? e : new Error(String(e)) });
        return false;
      }
    })();
    done.set(id, promise);
    return promise;
  };
  await Promise.all(ids.map(start));
  return run;
}

/** For deletion: each node waits for every node that depends on it. */
export function reverseDependencies(ids: string[], dependenciesOf: (id: string) => string[]): (id: string) => string[] {
  const dependents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) {
    for (const dependency of dependenciesOf(id)) dependents.get(dependency)?.push(id);
  }
  return (id) => dependents.get(id) ?? [];
}

/** Topological order (dependencies first); a cycle is an error naming its members. */
export function orderByDependencies(ids: string[], dependenciesOf: (id: string) => string[]): string[] {
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`Circular dependency between ${[...trail, id].join(' -> ')}`);
    state.set(id, 'visiting');
    for (const dependency of dependenciesOf(id)) visit(dependency, [...trail, id]);
    state.set(id, 'done');
    ordered.push(id);
  };
  for (const id of ids) visit(id, []);
  return ordered;
}
