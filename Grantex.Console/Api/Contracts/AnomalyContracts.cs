using Grantex.Core.Anomalies;

namespace Grantex.Console.Api.Contracts;

/// <summary><c>POST /v1/anomalies/detect</c> (wire format §7.3): the anomalies that hold now, and how many grants automatic revocation cut off.</summary>
public sealed record AnomalyDetectResponse(DateTime DetectedAt, int Total, int AutoRevokedGrants, IReadOnlyList<AnomalyData> Anomalies)
{
    public static AnomalyDetectResponse From(DetectionResult r) =>
        new(r.DetectedAt, r.Anomalies.Count, r.AutoRevokedGrants, [.. r.Anomalies.Select(AnomalyData.From)]);
}

/// <summary><c>GET /v1/anomalies</c>: the reference's <c>{anomalies, total}</c> (total counts every match), plus the next page's cursor.</summary>
public sealed record AnomalyListResponse(IReadOnlyList<AnomalyData> Anomalies, int Total, string? NextCursor);
