using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Grantex.Core.Audit;
using Grantex.Core.Persistence;
using Grantex.Core.Telemetry;
using Grantex.Core.Tokens;
using Grantex.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Core.Tests.Telemetry;

/// <summary>The writer's own metrics, read with a listener on this host's meter only.</summary>
public sealed class GrantexMetricsTests(CoreHost host) : IClassFixture<CoreHost>
{
    private WriteQueue Writes => host.Get<WriteQueue>();

    [Fact]
    public async Task queued_commands_show_in_the_depth_and_only_committed_audit_entries_are_counted()
    {
        using var metrics = new Recorder(host.Services.GetRequiredService<IMeterFactory>());
        var caller = await host.DeveloperAsync();
        var subject = new AuditSubject(caller.Developer.Id);
        var appendsBefore = metrics.Sum("grantex.audit.appends");
        var commitsBefore = metrics.Count("grantex.writer.commit.duration");

        // Hold the writer so the next three commands wait in the queue, then let them commit as one batch.
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var gate = Writes.ExecuteAsync(async _ =>
        {
            started.SetResult();
            await release.Task;
            return 0;
        });
        await started.Task;
        var first = Writes.ExecuteAsync(ctx => ctx.AppendAuditAsync(AuditDraft.For(subject, AuditActions.GrantCreated, caller.Actor)));
        var failing = Writes.ExecuteAsync<int>(async ctx =>
        {
            await ctx.AppendAuditAsync(AuditDraft.For(subject, AuditActions.GrantCreated, caller.Actor));
            throw new InvalidOperationException("boom");
        });
        var third = Writes.ExecuteAsync(ctx => ctx.AppendAuditAsync(AuditDraft.For(subject, AuditActions.GrantRevoked, caller.Actor)));
        Assert.Equal(3, metrics.Observe("grantex.writer.queue.depth"));

        release.SetResult();
        await gate;
        await first;
        await third;
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);

        Assert.Equal(0, metrics.Observe("grantex.writer.queue.depth"));
        Assert.Equal(2, metrics.Sum("grantex.audit.appends") - appendsBefore);
        Assert.True(metrics.Count("grantex.writer.commit.duration") - commitsBefore >= 2, "the gate's batch and the three commands' batch");
    }

    [Theory]
    [InlineData(TokenCheck.Valid, VerificationOutcome.Valid)]
    [InlineData(TokenCheck.Revoked, VerificationOutcome.Revoked)]
    [InlineData(TokenCheck.AgentSuspended, VerificationOutcome.Suspended)]
    [InlineData(TokenCheck.Expired, VerificationOutcome.Expired)]
    [InlineData(TokenCheck.BadSignature, VerificationOutcome.Invalid)]
    [InlineData(TokenCheck.WrongDeveloper, VerificationOutcome.Invalid)]
    [InlineData(TokenCheck.Malformed, VerificationOutcome.Invalid)]
    internal void each_token_check_has_one_verification_result(TokenCheck check, VerificationOutcome expected) =>
        Assert.Equal(expected, GrantexMetrics.VerificationResult(check));

    /// <summary>Sums what this host's Grantex instruments record (other hosts in the process have meters of their own).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, double> _sums = new();
        private readonly ConcurrentDictionary<string, long> _counts = new();
        private readonly ConcurrentDictionary<string, double> _last = new();

        public Recorder(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == GrantexMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, value, _, _) => Record(i, value));
            _listener.SetMeasurementEventCallback<int>((i, value, _, _) => Record(i, value));
            _listener.SetMeasurementEventCallback<double>((i, value, _, _) => Record(i, value));
            _listener.Start();
        }

        public double Sum(string name) => _sums.GetValueOrDefault(name);

        public long Count(string name) => _counts.GetValueOrDefault(name);

        public double Observe(string name)
        {
            _last.TryRemove(name, out _);
            _listener.RecordObservableInstruments();
            return _last.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"{name} was not observed.");
        }

        public void Dispose() => _listener.Dispose();

        private void Record(Instrument instrument, double value)
        {
            _sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
            _counts.AddOrUpdate(instrument.Name, 1, (_, count) => count + 1);
            _last[instrument.Name] = value;
        }
    }
}
