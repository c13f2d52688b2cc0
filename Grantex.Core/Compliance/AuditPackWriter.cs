using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Keys;
using Grantex.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Grantex.Core.IO;
using Grantex.Core.Jose;

namespace Grantex.Core.Compliance;

/// <summary>
/// Streams an audit pack for a developer and a time window straight to an output (a response body, a file): audit
/// entries in chain order, grants, agents, policies, the server's verification of the window (chain walk and
/// checkpoint consistency), the checkpoints, the JWKS, and a manifest of every file's SHA-256 and size, signed as a
/// JWS. Each file's digest is computed while it streams; memory does not grow with the number of entries.
/// The export itself is recorded in the developer's audit chain.
/// </summary>
public sealed class AuditPackWriter(
    IDbContextFactory<GrantexDbContext> factory,
    CheckpointService checkpoints,
    SigningKeyStore keys,
    WriteQueue writes,
    TimeProvider time,
    IOptions<GrantexOptions> options)
{
    /// <param name="actor">Who asked for the pack (recorded in the audit chain).</param>
    /// <param name="progress">Receives the number of audit entries written so far.</param>
    public async Task<AuditPackResult> WriteAsync(string developerId, ComplianceFilter filter, Stream output, string actor,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var window = filter with { AgentId = null, Status = null };
        var key = keys.Current;
        var jwks = keys.Jwks;
        var generatedAt = time.UtcNowMillis();
        var files = new List<AuditPackFile>();
        ChainIntegrity verification;
        byte[] manifest;

        await using (var snapshot = await ReadSnapshot.OpenAsync(factory, cancellationToken))
        {
            var db = snapshot.Db;
            var packCheckpoints = await checkpoints.ForWindowAsync(db, developerId, window.Since, window.Until, cancellationToken);
            var verifier = new WindowVerifier(window.Since is null, packCheckpoints.Select(c => c.Reading), developerId, window.Since, window.Until);
            var sink = new DeferredSyncWriteStream(output);
            var zip = await ZipArchive.CreateAsync(sink, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
            await using (zip)
            {
                // On SQLite the chain is stepped natively and walked from its bytes, as GET /v1/audit/verify walks it.
                files.Add(await WriteStreamAsync(zip, AuditPackFormat.AuditEntries, generatedAt, destination => db.Database.GetDbConnection() is SqliteConnection sqlite
                    ? SqliteChainLines.WriteAsync(sqlite, developerId, window.Since, window.Until, verifier, destination, progress, cancellationToken)
                    : PipelinedLines.WriteAsync(AuditEntryReader.ReadAsync(db, developerId, window.Since, window.Until, cancellationToken), destination, verifier.Feed,
                        progress, cancellationToken),
                    cancellationToken));

                files.Add(await WriteLinesAsync(zip, AuditPackFormat.Grants, generatedAt, async json =>
                {
                    long count = 0;
                    await foreach (var grant in ComplianceQueries.Grants(db, developerId, window, generatedAt).AsAsyncEnumerable().WithCancellation(cancellationToken))
                    {
                        ComplianceJson.WriteGrant(json.Json, grant, generatedAt);
                        await json.EndLineAsync(cancellationToken);
                        count++;
                    }

                    return count;
                }, cancellationToken));

                files.Add(await WriteLinesAsync(zip, AuditPackFormat.Agents, generatedAt, async json =>
                {
                    long count = 0;
                    await foreach (var agent in ComplianceQueries.Agents(db, developerId).AsAsyncEnumerable().WithCancellation(cancellationToken))
                    {
                        ComplianceJson.WriteAgent(json.Json, agent);
                        await json.EndLineAsync(cancellationToken);
                        count++;
                    }

                    return count;
                }, cancellationToken));

                // The policies as they stand when the pack is made (at most 1,000 per developer: one small array).
                var policies = await ComplianceQueries.Policies(db, developerId).ToListAsync(cancellationToken);
                files.Add(await WriteBytesAsync(zip, AuditPackFormat.Policies, generatedAt, AuditPackDocuments.PoliciesJson(policies), cancellationToken));

                files.Add(await WriteLinesAsync(zip, AuditPackFormat.Checkpoints, generatedAt, async json =>
                {
                    foreach (var (row, _) in packCheckpoints)
                    {
                        AuditPackDocuments.WriteCheckpoint(json.Json, row);
                        await json.EndLineAsync(cancellationToken);
                    }

                    return packCheckpoints.Count;
                }, cancellationToken));

                verification = verifier.Finish();
                files.Add(await WriteBytesAsync(zip, AuditPackFormat.Verification, generatedAt, AuditPackDocuments.VerificationJson(developerId, window, generatedAt, verification), cancellationToken));
                files.Add(await WriteBytesAsync(zip, AuditPackFormat.Jwks, generatedAt, Encoding.UTF8.GetBytes(JwksKeys.Document(jwks)), cancellationToken));

                manifest = AuditPackDocuments.ManifestJson(options.Value.Issuer, developerId, window, generatedAt, key.KeyId, verification.Entries, files);
                await WriteBytesAsync(zip, AuditPackFormat.Manifest, generatedAt, manifest, cancellationToken);
                var signature = CompactJws.Sign(Encoding.UTF8.GetString(manifest), key, AuditPackFormat.ManifestType);
                await WriteBytesAsync(zip, AuditPackFormat.ManifestSignature, generatedAt, Encoding.ASCII.GetBytes(signature), cancellationToken);
            }

            await sink.FlushAsync(cancellationToken);
        }

        var manifestSha = Convert.ToHexStringLower(SHA256.HashData(manifest));
        var draft = AuditDraft.For(new AuditSubject(developerId), AuditActions.AuditPackExported, actor, AuditMetadata
            .With("since", window.SinceText)
            .And("until", window.UntilText)
            .And("entries", verification.Entries)
            .And("manifestSha256", manifestSha)
            .And("chainIntact", verification.Valid));
        await writes.AppendAsync(ctx => ctx.AppendAuditAsync(draft), CancellationToken.None);
        return new AuditPackResult(files, manifestSha, key.KeyId, verification);
    }

    private static async Task<AuditPackFile> WriteLinesAsync(ZipArchive zip, string name, DateTime at, Func<JsonStreamWriter, Task<long>> write, CancellationToken cancellationToken)
    {
        await using var entry = await OpenEntryAsync(zip, name, at, cancellationToken);
        await using var hashing = new HashingStream(entry, leaveOpen: true);
        long records;
        await using (var json = new JsonStreamWriter(hashing))
        {
            records = await write(json);
            await json.FlushAsync(cancellationToken);
        }

        return new AuditPackFile(name, hashing.Sha256Hex(), hashing.BytesHashed, records);
    }

    private static async Task<AuditPackFile> WriteStreamAsync(ZipArchive zip, string name, DateTime at, Func<Stream, Task<long>> write, CancellationToken cancellationToken)
    {
        await using var entry = await OpenEntryAsync(zip, name, at, cancellationToken);
        await using var hashing = new HashingStream(entry, leaveOpen: true);
        var records = await write(hashing);
        return new AuditPackFile(name, hashing.Sha256Hex(), hashing.BytesHashed, records);
    }

    private static async Task<AuditPackFile> WriteBytesAsync(ZipArchive zip, string name, DateTime at, byte[] content, CancellationToken cancellationToken)
    {
        await using var entry = await OpenEntryAsync(zip, name, at, cancellationToken);
        await entry.WriteAsync(content, cancellationToken);
        return new AuditPackFile(name, Convert.ToHexStringLower(SHA256.HashData(content)), content.Length, null);
    }

    private static Task<Stream> OpenEntryAsync(ZipArchive zip, string name, DateTime at, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        entry.LastWriteTime = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
        return entry.OpenAsync(cancellationToken);
    }
}
