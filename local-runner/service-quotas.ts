/**
 * Whether the handlers need to pace Panorama's writes: the emulator says which quotas it enforces
 * (EMULATOR_QUOTAS_PATH), and with no write quota the handlers send each write when it is ready
 * instead of one a second through the write-slot ledger. Any other endpoint, or no answer, keeps
 * the pacing a real deployment has.
 */
import { EMULATOR_QUOTAS_PATH, EnforcedQuotas } from '../emulator/rate-limit';

/** How long the question may take: the emulator answers from memory, in a millisecond or two. */
const ASK_TIMEOUT_MS = 2000;

/** The write-slot spacing the handlers should use at this endpoint: 0 (unpaced) or undefined (their default). */
export async function handlerWriteSlotMs(panoramaEndpoint: string): Promise<number | undefined> {
  let quotas: Partial<EnforcedQuotas>;
  try {
    const answer = await fetch(new URL(EMULATOR_QUOTAS_PATH, panoramaEndpoint), { signal: AbortSignal.timeout(ASK_TIMEOUT_MS) });
    if (!answer.ok) return undefined;
    quotas = await answer.json() as Partial<EnforcedQuotas>;
  } catch {
    return undefined;
  }
  return quotas.writesPerSecond === null ? 0 : undefined;
}
