// A view's first figures in one step (docs/web.md, "Lighthouse"): a view shows its loading line
// until all the requests its first figures need have answered, then everything at once, so a part
// that answered first is not pushed down by the ones filling in above it (layout shift). After
// that the view stays as it is while a part reloads (a live update, a fetch, another currency),
// with its open panels and scroll: only the first answers are waited for.
import { useState } from 'react';

// True once `loading` has been false, and from then on whatever it becomes.
export function useFirstAnswers(loading: boolean): boolean {
  const [answered, setAnswered] = useState(!loading);
  if (!answered && !loading) setAnswered(true);
  return answered || !loading;
}
