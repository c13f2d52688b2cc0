using Grantex.Core.Common;

namespace Grantex.Console.Api;

public static class EndpointConventions
{
    public const string ApiKeyPolicy = "ApiKey";

    /// <summary>Documents the error statuses an endpoint can answer with, all in the <see cref="ErrorBody"/> shape.</summary>
    public static RouteHandlerBuilder WithErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<ErrorBody>(status);
        }

        return builder;
    }

    /// <summary>Paging from the query string, refused with 400 when out of range.</summary>
    public static Result<(Cursor? After, int Size)> Paging(string? cursor, int? pageSize) => new PageRequest(cursor, pageSize).Validate();

    public static DateTime? ParseTime(string? value, out bool invalid)
    {
        invalid = false;
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateTime.TryParse(value, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var t))
        {
            return DateTime.SpecifyKind(t, DateTimeKind.Utc);
        }

        invalid = true;
        return null;
    }

    /// <summary>The names of the inputs flagged invalid, for <see cref="GxError.Fields"/>.</summary>
    public static IEnumerable<string> Invalid(params (string Name, bool IsInvalid)[] inputs) => inputs.Where(i => i.IsInvalid).Select(i => i.Name);
}
