using System.Buffers.Text;
using System.Security.Cryptography;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Core.Keys;

/// <summary>
/// Holds the signing keys in memory: the newest signs, every key not yet retired verifies and is published in the
/// JWKS. Private keys are Data-Protection-encrypted in the database and only decrypted here.
/// </summary>
public sealed class SigningKeyStore
{
    private const string Purpose = "Grantex.SigningKeys.v1";
    private readonly IDbContextFactory<GrantexDbContext> _factory;
    private readonly IDataProtector _protector;
    private readonly TimeProvider _time;
    private readonly IDatabaseProvider _database;
    private readonly ClusterNotifications _cluster;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile KeySet _keys = KeySet.Empty;

    public SigningKeyStore(
        IDbContextFactory<GrantexDbContext> factory, IDataProtectionProvider dataProtection, TimeProvider time, IDatabaseProvider database, ClusterNotifications cluster)
    {
        _database = database;
        _cluster = cluster;
        _factory = factory;
        _protector = dataProtection.CreateProtector(Purpose);
        _time = time;
    }

    /// <summary>The key that signs new tokens.</summary>
    public RsaSecurityKey Current => _keys.Signing ?? throw new InvalidOperationException("Signing keys are not loaded.");

    /// <summary>When the signing key was created (for scheduled rotation).</summary>
    public DateTime? CurrentCreatedAt => _keys.SigningCreatedAt;

    /// <summary>Every published key, by kid.</summary>
    public IReadOnlyDictionary<string, RsaSecurityKey> Published => _keys.ByKid;

    public IReadOnlyList<JsonWebKeyDto> Jwks => _keys.Jwks;

    /// <summary>Loads the keys, creating the first one on an empty database.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await _factory.CreateDbContextAsync(cancellationToken))
        {
            // Nodes starting together on an empty database make one first key, not one each.
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            await _database.LockAsync(db, WriterLock.Startup, wait: true, cancellationToken);
            if (!await db.SigningKeys.AnyAsync(k => k.RetiredAt == null, cancellationToken))
            {
                db.SigningKeys.Add(CreateKey());
                await db.SaveChangesAsync(cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
        }

        await ReloadAsync(cancellationToken);
        _cluster.On('k', (_, own) => own ? Task.CompletedTask : ReloadAsync());
        _cluster.OnReconnected(ReloadAsync);
    }

    /// <summary>Re-reads the keys (another process, e.g. the CLI, may have rotated them).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await _factory.CreateDbContextAsync(cancellationToken);
            var rows = await db.SigningKeys.AsNoTracking().Where(k => k.RetiredAt == null).ToListAsync(cancellationToken);
            rows = [.. rows.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id, StringComparer.Ordinal)];
            var byKid = new Dictionary<string, RsaSecurityKey>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                byKid[row.Id] = _keys.ByKid.TryGetValue(row.Id, out var loaded) ? loaded : Unprotect(row);
            }

            var signing = rows.Count == 0 ? null : byKid[rows[0].Id];
            var jwks = rows.Select(r => new JsonWebKeyDto("RSA", r.Modulus, r.Exponent, "RS256", "sig", r.Id)).ToList();
            _keys = new KeySet(signing, rows.Count == 0 ? null : rows[0].CreatedAt, byKid, jwks);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Makes a new key the signer. The previous keys stay published until every token they signed has expired
    /// (<see cref="RetireExpiredAsync"/>).
    /// </summary>
    public async Task<SigningKey> RotateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var now = _time.UtcNowMillis();
        var key = CreateKey();
        await db.SigningKeys.Where(k => k.RotatedAt == null && k.RetiredAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RotatedAt, now), cancellationToken);
        db.SigningKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        await ReloadAsync(cancellationToken);

        // Other nodes load it before any of their online verifications that start after this returns.
        await _cluster.SendAsync('k', key.Id, cancellationToken);
        return key;
    }

    /// <summary>Retires rotated keys none of whose tokens is still unexpired; returns how many left the JWKS.</summary>
    public async Task<int> RetireExpiredAsync(TimeSpan settle, CancellationToken cancellationToken = default)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var now = _time.UtcNowMillis();
        var settledBefore = now - settle;
        var candidates = await db.SigningKeys
            .Where(k => k.RotatedAt != null && k.RetiredAt == null && k.RotatedAt < settledBefore)
            .Where(k => !db.IssuedTokens.Any(t => t.Kid == k.Id && t.ExpiresAt > now))
            .ToListAsync(cancellationToken);
        foreach (var key in candidates)
        {
            key.RetiredAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        if (candidates.Count > 0)
        {
            await ReloadAsync(cancellationToken);
            await _cluster.SendAsync('k', "", cancellationToken);
        }

        return candidates.Count;
    }

    /// <summary>All keys, newest first, with their status (signing, verifying, retired). No private material.</summary>
    public async Task<IReadOnlyList<SigningKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.SigningKeys.AsNoTracking().ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(k => k.CreatedAt)];
    }

    /// <summary>Per kid: how many unexpired grant tokens it signed and when the last of them expires.</summary>
    public async Task<IReadOnlyDictionary<string, SigningKeyUsage>> UsageAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var now = _time.UtcNowMillis();
        var rows = await db.IssuedTokens.AsNoTracking().Where(t => t.ExpiresAt > now)
            .GroupBy(t => t.Kid)
            .Select(g => new { Kid = g.Key, Count = g.Count(), Last = g.Max(t => t.ExpiresAt) })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Kid, r => new SigningKeyUsage(r.Count, r.Last), StringComparer.Ordinal);
    }

    private SigningKey CreateKey()
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(false);
        return new SigningKey
        {
            Id = Ids.New(Ids.SigningKey),
            ProtectedPrivateKey = _protector.Protect(Convert.ToBase64String(rsa.ExportPkcs8PrivateKey())),
            Modulus = Base64Url.EncodeToString(parameters.Modulus!),
            Exponent = Base64Url.EncodeToString(parameters.Exponent!),
            CreatedAt = _time.UtcNowMillis(),
        };
    }

    private RsaSecurityKey Unprotect(SigningKey row)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(_protector.Unprotect(row.ProtectedPrivateKey)), out _);
        return new RsaSecurityKey(rsa) { KeyId = row.Id };
    }

    private sealed record KeySet(RsaSecurityKey? Signing, DateTime? SigningCreatedAt, Dictionary<string, RsaSecurityKey> ByKid, List<JsonWebKeyDto> Jwks)
    {
        public static readonly KeySet Empty = new(null, null, new Dictionary<string, RsaSecurityKey>(), []);
    }
}
