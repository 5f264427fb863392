/**
 * What the emulated Panorama enforces, asked of the emulator (EMULATOR_QUOTAS_PATH) once per
 * deployment, and what the runner makes of it:
 * - with no write quota, the handlers send each write when it is ready instead of one a second
 *   through the write-slot ledger (WRITE_SLOT_MS_VARIABLE = 0);
 * - with no request quota, a read costs nothing, so the runner asks isComplete and reads an
 *   application instance every 0.1 s for their first second (poll-schedule.ts).
 * Any other endpoint, or no answer, keeps what a real deployment does.
 */
import { EMULATOR_QUOTAS_PATH, EnforcedQuotas } from '../emulator/rate-limit';

/** How long the question may take: the emulator answers from memory, in a millisecond or two. */
const ASK_TIMEOUT_MS = 2000;

/** The quotas the endpoint says it enforces; undefined when it does not say (not our emulator). */
export async function enforcedQuotas(panoramaEndpoint: string): Promise<EnforcedQuotas | undefined> {
  try {
    const answer = await fetch(new URL(EMULATOR_QUOTAS_PATH, panoramaEndpoint), { signal: AbortSignal.timeout(ASK_TIMEOUT_MS) });
    if (!answer.ok) return undefined;
    const quotas = await answer.json() as Partial<EnforcedQuotas>;
    return quotas.requestsPerSecond === undefined || quotas.writesPerSecond === undefined ? undefined : quotas as EnforcedQuotas;
  } catch {
    return undefined;
  }
}

/** The write-slot spacing the handlers should use: 0 (unpaced) where no write quota is enforced, else undefined (their default). */
export function handlerWriteSlotMs(quotas: EnforcedQuotas | undefined): number | undefined {
  return quotas?.writesPerSecond === null ? 0 : undefined;
}

/** Whether a read spends no quota (the emulator enforces none). */
export function readsUnmetered(quotas: EnforcedQuotas | undefined): boolean {
  return quotas?.requestsPerSecond === null;
}
