using System.Text.Json;
using Grantex.Core.Agents;
using Grantex.Core.Anomalies;
using Grantex.Core.Audit;
using Grantex.Core.Consent;
using Grantex.Core.Developers;
using Grantex.Core.Grants;
using Grantex.Core.Tokens;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Tests.Anomalies;

/// <summary>What the anomaly tests share: activity made through the real services at the fake clock's time, and detection.</summary>
internal sealed class AnomalyTestKit(CoreHost host)
{
    public AnomalyService Anomalies => host.Get<AnomalyService>();

    /// <summary>Moves the clock to the next <paramref name="hour"/>:<paramref name="minute"/> UTC at least a day ahead (fresh windows for every test).</summary>
    public void MoveToNext(int hour, int minute = 0)
    {
        var now = host.Time.GetUtcNow();
        var target = new DateTimeOffset(now.Date.AddDays(2).AddHours(hour).AddMinutes(minute), TimeSpan.Zero);
        host.Time.SetUtcNow(target);
    }

    public void Advance(TimeSpan by) => host.Time.Advance(by);

    /// <summary><paramref name="count"/> entries the developer logs for <paramref name="agentId"/> with <paramref name="status"/>.</summary>
    public async Task LogAsync(ApiKeyCaller caller, string agentId, int count, string status = "success")
    {
        using var metadata = JsonDocument.Parse("{}");
        for (var i = 0; i < count; i++)
        {
            CoreHost.Ok(await host.Get<AuditService>().LogAsync(caller,
                new AuditLogInput(agentId, "did:grantex:" + agentId, "grnt_x", "user_1", "tool.invoked", status, metadata.RootElement.Clone())));
        }
    }

    public async Task<Agent> AgentAsync(ApiKeyCaller caller) => await host.AgentAsync(caller, "Agent " + Guid.NewGuid().ToString("N")[..6]);

    /// <summary>A sandbox grant for the agent from <paramref name="principal"/> with <paramref name="scopes"/>.</summary>
    public async Task<IssuedGrantToken> GrantAsync(ApiKeyCaller caller, string agentId, string principal, params string[] scopes)
    {
        var authorized = CoreHost.Ok(await host.Get<AuthorizationService>().AuthorizeAsync(caller,
            new AuthorizeInput(agentId, principal, scopes, null, null, "30d", null, null, null)));
        return CoreHost.Ok(await host.Get<ExchangeService>().ExchangeAsync(caller, authorized.Code, agentId, null));
    }

    public async Task<IssuedGrantToken> DelegateAsync(ApiKeyCaller caller, IssuedGrantToken parent, string subAgentId) =>
        CoreHost.Ok(await host.Get<DelegationService>().DelegateAsync(caller, new DelegateInput(parent.GrantToken, subAgentId, ["read"], "1h")));

    public Task<DetectionResult> DetectAsync(ApiKeyCaller caller) => Anomalies.DetectAsync(caller.Developer.Id);

    public async Task<List<Anomaly>> StoredAsync(ApiKeyCaller caller, string? type = null)
    {
        await using var db = await host.DbAsync();
        return await db.Anomalies.AsNoTracking().Where(a => a.DeveloperId == caller.Developer.Id && (type == null || a.Type == type))
            .OrderBy(a => a.DetectedAt).ThenBy(a => a.Id).ToListAsync();
    }

    public async Task<int> EventCountAsync(ApiKeyCaller caller, string type)
    {
        await using var db = await host.DbAsync();
        return await db.Events.AsNoTracking().CountAsync(e => e.DeveloperId == caller.Developer.Id && e.Type == type);
    }

    public async Task<List<AuditEntry>> AuditAsync(ApiKeyCaller caller, string action)
    {
        await using var db = await host.DbAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => e.DeveloperId == caller.Developer.Id && e.Action == action).ToListAsync();
    }

    public static JsonElement Metadata(Anomaly a) => JsonDocument.Parse(a.MetadataJson).RootElement;

    public static IEnumerable<Anomaly> OfType(DetectionResult r, string type) => r.Anomalies.Where(a => a.Type == type);
}
