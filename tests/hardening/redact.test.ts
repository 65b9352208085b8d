// The redactor, property by property: random secrets embedded in random text, in every encoding, never survive.
import fc from "fast-check";
import {
  MASK,
  SCAN_CHARS,
  encodingsOf,
  forgetSecretsForTests,
  quoteServerText,
  redact,
  rememberSecrets,
} from "../../provider/errors/redact";
import { parseErrorBody, summarizeBody } from "../../provider/client/axios-error";

afterEach(() => forgetSecretsForTests());

// Secrets from the characters real keys and tokens use, plus the ones encodings change; never `*`, which the mask
// itself is made of.
const secretChar = fc.constantFrom(
  ..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+=-_.~!'()\"\\&%?#é€ ".split(""),
);
const secret = fc
  .array(secretChar, { minLength: 4, maxLength: 60 })
  .map((chars) => chars.join(""))
  .filter((s) => s.trim() === s && s.trim().length >= 4);
const noise = fc.string({ maxLength: 300 }).map((s) => s.replace(/\*/g, ""));
const encoding = fc.constantFrom<(s: string) => string>(
  (s) => s,
  (s) => encodeURIComponent(s),
  (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase()),
  (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
  (s) => JSON.stringify(s).slice(1, -1),
  (s) => JSON.stringify(s).slice(1, -1).replace(/\//g, "\\/"),
);

/** True when any encoding of `s` appears in `text`. */
const survives = (text: string, s: string) => encodingsOf(s).some((form) => text.includes(form));

describe("the redactor", () => {
  it("masks random secrets embedded in random text in every encoding", () => {
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 4 }), noise, noise, encoding, (secrets, a, b, enc) => {
        forgetSecretsForTests();
        rememberSecrets(...secrets);
        const text = a + enc(secrets[0]) + b + secrets[secrets.length - 1];
        const out = redact(text);
        for (const s of secrets) expect(survives(out, s)).toBe(false);
      }),
      { numRuns: 500, seed: 9 },
    );
  });

  it("quotations never show a secret, wherever the cut and whatever the whitespace", () => {
    fc.assert(
      fc.property(secret, fc.nat({ max: 200 }), fc.constantFrom(" ", "\n", "\t\r\n "), encoding, (s, at, ws, enc) => {
        forgetSecretsForTests();
        rememberSecrets(s);
        const text = ws + "x".repeat(at) + ws + enc(s) + ws + "y".repeat(50);
        for (const max of [20, 120, 240]) {
          const out = quoteServerText(text, max) ?? "";
          expect(survives(out, s)).toBe(false);
          // No prefix of the secret of 4 or more characters is left at the cut.
          for (let k = 4; k <= s.length; k += 1) expect(out.endsWith(s.slice(0, k) + "…")).toBe(false);
        }
      }),
      { numRuns: 300, seed: 10 },
    );
  });

  it("a secret that contains another is masked whole, not around the shorter one", () => {
    rememberSecrets("abcd", "xxabcdyy-LONGER");
    expect(redact("see xxabcdyy-LONGER and abcd")).toBe(`see ${MASK} and ${MASK}`);
  });

  it("a secret split by a line break or a tag is not joined back together by folding", () => {
    rememberSecrets("split secret value");
    expect(quoteServerText("a split\nsecret value b", 100)).toBe(`a ${MASK} b`);
    expect(summarizeBody("<p>split<br>secret value</p>")).not.toContain("split secret value");
  });

  it("signature-shaped runs (64+ hex digits) are masked even when no secret is held", () => {
    const signature = "ab".repeat(32);
    expect(redact(`Signature=${signature}, next`)).toBe(`Signature=${MASK}, next`);
    expect(redact(`id 0123456789abcdef0123456789abcdef`)).toBe("id 0123456789abcdef0123456789abcdef");
  });

  it("a secret straddling the scanned prefix's end leaves no prefix behind", () => {
    const s = "STRADDLING-secret-value-0123";
    rememberSecrets(s);
    for (let offset = -s.length; offset <= 0; offset += 1) {
      const text = " ".repeat(SCAN_CHARS + offset) + s + " tail";
      const out = quoteServerText(text, 120) ?? "";
      for (let k = 4; k <= s.length; k += 1) expect(out).not.toContain(s.slice(0, k));
    }
  });

  it("while a secret under 4 characters is held, free server text is withheld; codes stay", () => {
    rememberSecrets("abc");
    expect(quoteServerText("the key abc was wrong", 100)).toBeUndefined();
    expect(summarizeBody("<title>abc</title>")).toBe("a body (withheld: a configured key is too short to mask)");
    expect(parseErrorBody('{"error_code":"OMS.1014","error_msg":"abc bad"}')).toEqual({
      errorCode: "OMS.1014",
      errorMsg: undefined,
    });
  });

  it("redaction of a bounded quotation stays fast with hundreds of secrets held", () => {
    for (let i = 0; i < 500; i += 1) rememberSecrets(`secret-number-${i}-${"k".repeat(i % 40)}`);
    const started = Date.now();
    for (let i = 0; i < 100; i += 1) quoteServerText("z".repeat(1_000_000), 120);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
