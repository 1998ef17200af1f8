// The document title of a view: "NAME · keel" (document.title is text, never markup); back to
// "keel" when the view goes.
import { useEffect } from 'react';

export function useTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · keel` : 'keel';
    return () => {
      document.title = 'keel';
    };
  }, [title]);
}
