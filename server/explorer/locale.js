// The locale every number on the page is written in, uPlot's included: the browser's first
// language that Intl can format in, else en-US. A browser does not always report a BCP 47 tag:
// Chromium started under a POSIX locale (LANG=C, C.UTF-8, POSIX or no LANG, the default of most
// CI images and containers) reports navigator.language "en-US@posix", and
// new Intl.NumberFormat('en-US@posix') throws "RangeError: Invalid language tag".

/** A tag Intl can format in, from one a browser reports (`de-DE`, `en-US@posix`, `en_US.UTF-8`), or undefined. */
function usableTag(tag) {
  // a POSIX name's `.charset` and `@modifier` are no part of a language tag, and `_` is `-` there
  for (const candidate of [
    tag,
    String(tag)
      .replace(/[.@].*$/, '')
      .replaceAll('_', '-'),
  ]) {
    try {
      const [canonical] = Intl.getCanonicalLocales(candidate)
      if (canonical && Intl.NumberFormat.supportedLocalesOf(canonical).length > 0) return canonical
    } catch {
      // not a well-formed tag ("C", "en-US@posix"): try the next candidate
    }
  }
  return undefined
}

/** The first of the browser's languages (most preferred first) that Intl can format in, else en-US. */
export function pageLocale(tags) {
  for (const tag of tags) {
    const usable = usableTag(tag)
    if (usable) return usable
  }
  return 'en-US'
}

export const LOCALE = pageLocale(globalThis.navigator ? [...(navigator.languages ?? []), navigator.language] : [])

// uPlot has no locale option: its script reads navigator.language once, as it loads, for its
// default number format, and throws there on a tag Intl rejects, so that there is no uPlot at
// all. index.html runs this module before uPlot's script, and this gives uPlot the page's locale.
if (typeof window !== 'undefined' && navigator.language !== LOCALE)
  Object.defineProperty(navigator, 'language', { value: LOCALE, configurable: true })
