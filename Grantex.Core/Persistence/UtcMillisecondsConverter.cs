using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Grantex.Core.Persistence;

/// <summary>
/// Stores every <see cref="DateTime"/> as Unix milliseconds: the wire precision, sortable and comparable in SQLite
/// (which cannot order DateTimeOffset) and in any other relational store.
/// </summary>
internal sealed class UtcMillisecondsConverter() : ValueConverter<DateTime, long>(
    v => (DateTime.SpecifyKind(v, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond,
    v => new DateTime(DateTime.UnixEpoch.Ticks + (v * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc));
