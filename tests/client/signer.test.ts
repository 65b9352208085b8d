import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import fc from "fast-check";
import { canonicalQuery, canonicalUri, percentEncode, sign } from "../../provider/client/signer";

describe("SDK-HMAC-SHA256 signer: published vectors", () => {
  it("matches Huawei's signing guide example", () => {
    const parts = sign(
      {
        method: "GET",
        path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
        query: { limit: "2", marker: "13551d6b-755d-4757-b956-536f674975c0" },
        headers: {
          "content-type": "application/json",
          host: "service.region.example.com",
          "x-sdk-date": "20191115T033655Z",
        },
      },
      { accessKey: "QTWAOYTTINDUT2QVKYUC", secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc" },
    );
    expect(parts.signedHeaders).toBe("content-type;host;x-sdk-date");
    expect(parts.signature).toBe("7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
    expect(parts.authorization).toBe(
      "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
    );
  });

  const goKey = { accessKey: "AccessKey", secretKey: "SecretKey" };

  it("matches the Go SDK's GET vector", () => {
    const { signature } = sign(
      { method: "GET", path: "/path", query: { limit: "1" }, headers: { "X-Sdk-Date": "20060102T150405Z" } },
      goKey,
    );
    expect(signature).toBe("5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624");
  });

  it("matches the Go SDK's POST vector, hashing the exact body bytes including the trailing newline", () => {
    const { signature } = sign(
      {
        method: "POST",
        path: "/path",
        query: { key: "value" },
        headers: { "X-Sdk-Date": "20060102T150405Z" },
        body: '{"Name":"test","Id":1}\n',
      },
      goKey,
    );
    expect(signature).toBe("cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59");
  });

  it("encodes and orders the query like the published query vector", () => {
    expect(
      canonicalQuery({
        limit: "1",
        enable: "true",
        test: "一 (&=?!#%.*)",
        path: "/tmp/123",
        multi: ["1", "2", "3"],
      }),
    ).toBe(
      "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29",
    );
  });

  it("percent-encodes path segments and appends the trailing slash", () => {
    expect(canonicalUri("/v2/p/sync-tasks/a b~c")).toBe("/v2/p/sync-tasks/a%20b~c/");
    expect(canonicalUri("/already/")).toBe("/already/");
    expect(canonicalUri("/a%2Fb/c%20d/%")).toBe("/a%2Fb/c%20d/%25/");
    expect(percentEncode("é😀")).toBe("%C3%A9%F0%9F%98%80");
  });

  it("refuses to sign without x-sdk-date", () => {
    expect(() => sign({ method: "GET", path: "/", headers: { host: "h" } }, goKey)).toThrow("x-sdk-date");
  });
});

// Characters the vendor's signer receives unchanged through url.parse; '%', '?', '#', '/', space and quotes are
// escaped by url.parse itself before the vendor signs, so they cannot be compared this way.
const PATH_CHARS = [..."abcXYZ019-._~!$&()*+,;=:@[]", "中", "é", "ß", "😀"];
const QUERY_CHARS = [..."abcXYZ019-._~!$'()*+,;:@[] /?%#&=", "中", "é", "😀"];

describe("SDK-HMAC-SHA256 signer: cross-check with the vendor's Node signer", () => {
  const segment = fc.array(fc.constantFrom(...PATH_CHARS), { minLength: 1, maxLength: 8 }).map((a) => a.join(""));
  const text = (chars: string[]) => fc.array(fc.constantFrom(...chars), { maxLength: 10 }).map((a) => a.join(""));
  const queryKey = fc.stringMatching(/^[a-z_]{1,8}$/);
  const request = fc.record({
    method: fc.constantFrom("GET", "POST", "DELETE", "PUT"),
    segments: fc.array(segment, { minLength: 1, maxLength: 5 }),
    query: fc.dictionary(
      queryKey,
      fc.oneof(text(QUERY_CHARS), fc.array(text(QUERY_CHARS), { minLength: 1, maxLength: 4 })),
    ),
    body: fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 20 }), fc.integer())), {
      nil: undefined,
    }),
    projectId: fc.stringMatching(/^[0-9a-f]{32}$/),
    accessKey: fc.stringMatching(/^[A-Z0-9]{20}$/),
    secretKey: fc.string({ minLength: 1, maxLength: 40 }),
  });

  it("produces the vendor's Authorization header on 300 generated requests", () => {
    let compared = 0;
    fc.assert(
      fc.property(request, (r) => {
        const path = "/" + r.segments.join("/");
        const date = "20240229T235959Z";
        const host = "oms.cn-north-4.myhuaweicloud.com";
        const headers: Record<string, string> = { "X-Sdk-Date": date, "X-Project-Id": r.projectId };
        if (r.body !== undefined) headers["Content-Type"] = "application/json";
        const vendor = AKSKSigner.sign(
          {
            method: r.method,
            endpoint: `https://${host}${path}`,
            headers: { ...headers },
            // The vendor sorts repeated values in place: give it copies.
            queryParams: Object.fromEntries(
              Object.entries(r.query).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]),
            ),
            data: r.body,
          } as never,
          { getAk: () => r.accessKey, getSk: () => r.secretKey } as never,
        ) as Record<string, string>;
        const ours = sign(
          {
            method: r.method,
            path,
            query: r.query,
            headers: { ...headers, host },
            body: r.body === undefined ? undefined : JSON.stringify(r.body),
          },
          { accessKey: r.accessKey, secretKey: r.secretKey },
        );
        compared += 1;
        expect(ours.authorization).toBe(vendor.Authorization);
      }),
      { numRuns: 300, seed: 20261128 },
    );
    expect(compared).toBe(300);
  });
});
