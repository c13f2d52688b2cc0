using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Grantex.Core.Audit;
using Grantex.Core.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Benchmarks;

/// <summary>BenchmarkDotNet micro-benchmarks of the CPU-bound paths: offline verify, token signing, one audit hash.</summary>
[MemoryDiagnoser]
public class CryptoPaths
{
    private static readonly GrantTokenVerifierOptions Options = new() { Issuer = "http://127.0.0.1:5080" };
    private RSA? _rsa;
    private RsaSecurityKey? _key;
    private GrantTokenVerifier? _verifier;
    private GrantTokenClaims? _claims;
    private string _token = "";
    private AuditHashInput _entry;

    [GlobalSetup]
    public void Setup()
    {
        _rsa = RSA.Create(2048);
        _key = new RsaSecurityKey(_rsa) { KeyId = "sk_bench" };
        var keys = new Dictionary<string, RsaSecurityKey> { ["sk_bench"] = _key };
        _verifier = new GrantTokenVerifier(() => keys);
        _claims = Tokens.Claims(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        _token = GrantTokenIssuer.Sign(_claims, _key);
        _entry = new AuditHashInput("alog_01JBENCH00000000000000000", "ag_bench", "did:grantex:ag_bench", "grnt_bench", "user_bench", "dev_bench",
            "tool.invoked", """{"i":1,"tool":"calendar.list"}""", "2026-01-01T00:00:00.000Z", new string('a', 64), "success");
    }

    [GlobalCleanup]
    public void Cleanup() => _rsa?.Dispose();

    [Benchmark]
    public Task<TokenVerification> OfflineVerify() => _verifier!.VerifyAsync(_token, Options);

    [Benchmark]
    public string SignGrantToken() => GrantTokenIssuer.Sign(_claims!, _key!);

    [Benchmark]
    public string AuditHashOfOneEntry() => AuditHash.Compute(_entry);
}
