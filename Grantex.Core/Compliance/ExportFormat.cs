namespace Grantex.Core.Compliance;

public enum ExportFormat
{
    Json,
    Csv,
}
