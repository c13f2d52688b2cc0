using System.Diagnostics;
using System.Security.Cryptography;
using Grantex.Core.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Benchmarks;

/// <summary>Offline verification (GrantTokenVerifier against an in-memory key set) on one thread: verifies per second per core.</summary>
internal static class OfflineVerifyBenchmark
{
    public static async Task RunAsync(int runs)
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa) { KeyId = "sk_bench" };
        var verifier = new GrantTokenVerifier(() => new Dictionary<string, RsaSecurityKey> { ["sk_bench"] = key });
        var options = new GrantTokenVerifierOptions { Issuer = "http://127.0.0.1:5080", RequiredScopes = ["read"] };
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = GrantTokenIssuer.Sign(Tokens.Claims(now), key);

        for (var i = 0; i < 50_000; i++)
        {
            await verifier.VerifyAsync(token, options); // warm up (JIT, tiering)
        }

        var rates = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var count = 0;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed < TimeSpan.FromSeconds(3))
            {
                var result = await verifier.VerifyAsync(token, options);
                if (!result.IsValid)
                {
                    throw new InvalidOperationException("A valid token failed verification: " + result.Detail);
                }

                count++;
            }

            var rate = count / sw.Elapsed.TotalSeconds;
            rates.Add(rate);
            Report.Run("offline-verify", run, $"{Report.F(rate)} verifies/s on one thread");
        }

        Report.Summary("offline verify per core", "verifies/s", rates, 30_000, higherIsBetter: true);
    }
}
