using System.Globalization;
using Grantex.Core.Compliance;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Grantex.Console.Components.Pages.Compliance;

public sealed partial class Compliance
{
    private ComplianceSummary? _summary;
    private ChainIntegrity? _chain;
    private IReadOnlyList<AuditCheckpoint> _checkpoints = [];
    private string? _error;
    private DateTime? _since;
    private DateTime? _until;
    private bool _downloading;
    private long _received;
    private string? _downloaded;
    private IJSObjectReference? _module;
    private DotNetObjectReference<Compliance>? _self;

    [SupplyParameterFromQuery(Name = "dev")]
    public string? Dev { get; set; }

    [SupplyParameterFromQuery(Name = "since")]
    public string? Since { get; set; }

    [SupplyParameterFromQuery(Name = "until")]
    public string? Until { get; set; }

    private string Window => _since is null && _until is null ? "(all time)"
        : $"({(_since is { } s ? s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "start")} – {(_until is { } u ? u.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "now")})";

    private string CheckpointNote => _chain?.Checkpoints.Count > 0 ? "; consistent with the latest signed checkpoint" : "; no signed checkpoint yet";

    protected override async Task OnParametersSetAsync()
    {
        _since = ParseDate(Since);
        _until = ParseDate(Until);
        _summary = null;
        _chain = null;
        _error = null;
        if (string.IsNullOrEmpty(Dev))
        {
            return;
        }

        var summary = await Admin.SummaryAsync(Dev, Filter());
        if (!summary.IsSuccess)
        {
            _error = summary.Error.Message;
            return;
        }

        _summary = summary.Value;
        await LoadCheckpointsAsync();
        var chain = await Admin.ChainAsync(Dev);
        _chain = chain.IsSuccess ? chain.Value : null;
        _error = chain.IsSuccess ? null : chain.Error.Message;
    }

    /// <summary>Called from the download script with the bytes received so far.</summary>
    [JSInvokable]
    public Task Progress(long received)
    {
        _received = received;
        return InvokeAsync(StateHasChanged);
    }

    public async ValueTask DisposeAsync()
    {
        _self?.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; nothing to release on the client.
            }
        }
    }

    private ComplianceFilter Filter() => new(_since, _until?.Date.AddDays(1).AddMilliseconds(-1));

    private string Query(bool withDev = true)
    {
        var parts = new List<string>();
        if (withDev && Dev is not null)
        {
            parts.Add("dev=" + Uri.EscapeDataString(Dev));
        }

        if (_since is { } s)
        {
            parts.Add("since=" + s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (_until is { } u)
        {
            parts.Add("until=" + Uri.EscapeDataString(u.Date.AddDays(1).AddMilliseconds(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)));
        }

        return string.Join("&", parts);
    }

    private string ExportUrl(string kind, string format) => $"/console/compliance/export/{kind}?{Query()}&format={format}";

    private Task DeveloperChangedAsync(string? developerId) => NavigateAsync(developerId, _since, _until);

    private Task SinceChangedAsync(DateTime? value) => NavigateAsync(Dev, value, _until);

    private Task UntilChangedAsync(DateTime? value) => NavigateAsync(Dev, _since, value);

    private Task NavigateAsync(string? dev, DateTime? since, DateTime? until)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(dev))
        {
            parts.Add("dev=" + Uri.EscapeDataString(dev));
        }

        if (since is { } s)
        {
            parts.Add("since=" + s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (until is { } u)
        {
            parts.Add("until=" + u.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        Navigation.NavigateTo("/compliance" + (parts.Count > 0 ? "?" + string.Join("&", parts) : ""));
        return Task.CompletedTask;
    }

    private async Task DownloadPackAsync()
    {
        _downloading = true;
        _received = 0;
        _downloaded = null;
        StateHasChanged();
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/download.js");
            _self ??= DotNetObjectReference.Create(this);
            var result = await _module.InvokeAsync<DownloadResult>("downloadWithProgress", $"/console/compliance/audit-pack?{Query()}", "grantex-audit-pack.zip", _self);
            if (result.Ok)
            {
                _downloaded = $"Saved {result.Name} ({FormatBytes(result.Bytes)}). Verify it (from the repository folder) with: dotnet run --project Grantex.Console -- audit-pack verify {result.Name} --jwks {Navigation.BaseUri}.well-known/jwks.json";
                Snackbar.Add("Audit pack downloaded.", Severity.Success);
            }
            else
            {
                Snackbar.Add(result.Message ?? "The download failed.", Severity.Error);
            }
        }
        finally
        {
            _downloading = false;
        }

        await LoadCheckpointsAsync();
    }

    private async Task SignCheckpointAsync()
    {
        var result = await Admin.SignCheckpointAsync(Dev!);
        if (result.IsSuccess)
        {
            Snackbar.Add($"Checkpoint signed over {result.Value.EntryCount:N0} entries.", Severity.Success);
            await LoadCheckpointsAsync();
            var chain = await Admin.ChainAsync(Dev!);
            _chain = chain.IsSuccess ? chain.Value : _chain;
        }
        else
        {
            Snackbar.Add(result.Error.Message, Severity.Error);
        }
    }

    private async Task LoadCheckpointsAsync()
    {
        if (Dev is null)
        {
            return;
        }

        var list = await Admin.CheckpointsAsync(Dev);
        _checkpoints = list.IsSuccess ? list.Value : [];
    }

    private static DateTime? ParseDate(string? value) =>
        DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d)
            ? DateTime.SpecifyKind(d, DateTimeKind.Utc)
            : null;

    private static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KB",
        _ => $"{bytes / (1024.0 * 1024):0.0} MB",
    };

    private sealed record DownloadResult(bool Ok, long Bytes, string? Name, string? Message);
}
