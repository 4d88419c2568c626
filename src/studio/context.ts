/** Typed context keys: components reach the studio state and the localiser through these. */
import { getContext, setContext } from 'svelte';
import { Localiser } from './i18n/locale.svelte.ts';
import type { Studio } from './studio.svelte.ts';

const studioKey = Symbol('studio');
const localiserKey = Symbol('localiser');

/** Provides the studio and the localiser to every component below. */
export function provideStudio(studio: Studio, localiser: Localiser): void {
  setContext(studioKey, studio);
  setContext(localiserKey, localiser);
}

/** The studio state (throws outside the app, where it is a programming error). */
export function useStudio(): Studio {
  const studio = getContext<Studio | undefined>(studioKey);
  if (!studio) throw new Error('useStudio() called outside the studio app.');
  return studio;
}

/** The localiser. */
export function useI18n(): Localiser {
  const localiser = getContext<Localiser | undefined>(localiserKey);
  if (!localiser) throw new Error('useI18n() called outside the studio app.');
  return localiser;
}

/** The localiser, or an English one where a component is used outside the app (the projects test page). */
export function useI18nOrEnglish(): Localiser {
  return getContext<Localiser | undefined>(localiserKey) ?? new Localiser('en');
}
