using Grantex.Core.Common;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Grantex.Core.Persistence;

/// <summary>
/// Stores every <see cref="DateTime"/> as Unix milliseconds: the wire precision, sortable and comparable in SQLite
/// (which cannot order DateTimeOffset) and in any other relational store.
/// </summary>
internal sealed class UtcMillisecondsConverter() : ValueConverter<DateTime, long>(
    v => TimeFormat.ToUnixMillis(v),
    v => TimeFormat.FromUnixMillis(v));
