using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Persistence;

namespace SecureDialogue.Messaging.Mechanism.Registry;

/// <summary>
/// The secretariat's registry of States parties: ISO alpha-3 code, name, regional group and the instruments each is
/// party to. Maintained by CSV import (<c>iso3,name,regional_group,instruments</c>); a file with any problem changes
/// nothing. The server never invents this data: outside the embedded demo (<see cref="Demo.DemoSeed"/>), it holds
/// what the secretariat imported.
/// </summary>
internal sealed partial class StatesRegistry(MessagingDbContext db, TimeProvider time, ILogger<StatesRegistry> logger)
{
    /// <summary>The columns of an import file, in any order.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["iso3", "name", "regional_group", "instruments"];

    /// <summary>Every State party by code.</summary>
    public async Task<IReadOnlyDictionary<string, StateParty>> LoadAsync(CancellationToken cancellationToken)
    {
        var rows = await db.StatesParties.ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Code, r => new StateParty(r.Code, r.Name, r.RegionalGroup, r.Instruments), StringComparer.Ordinal);
    }

    /// <summary>The registry as the API lists it, by code.</summary>
    public async Task<IReadOnlyList<StatePartyEntry>> ListAsync(CancellationToken cancellationToken) =>
    [
        .. (await LoadAsync(cancellationToken).ConfigureAwait(false)).Values
            .OrderBy(s => s.Code, StringComparer.Ordinal)
            .Select(s => new StatePartyEntry(s.Code, s.Name, RegionalGroupCodes.Code(s.Group),
                [.. InstrumentCodes.Each.Where(i => s.Instruments.HasFlag(i)).Select(InstrumentCodes.Code)])),
    ];

    /// <summary>Checks a file; when it has no problem, adds or replaces every State it lists.</summary>
    public async Task<(int Imported, IReadOnlyList<RegistryProblem> Problems)> ImportAsync(ReadOnlyMemory<byte> file, CancellationToken cancellationToken)
    {
        var (parties, problems) = Check(file.Span);
        if (problems.Count > 0)
        {
            return (0, problems);
        }

        await UpsertAsync(parties, cancellationToken).ConfigureAwait(false);
        Log.Imported(logger, parties.Count);
        return (parties.Count, []);
    }

    /// <summary>Adds or replaces States parties (one transaction).</summary>
    public async Task UpsertAsync(IReadOnlyList<StateParty> parties, CancellationToken cancellationToken)
    {
        var codes = parties.Select(p => p.Code).ToArray();
        var existing = await db.StatesParties.AsTracking().Where(s => codes.Contains(s.Code)).ToDictionaryAsync(s => s.Code, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        foreach (var party in parties)
        {
            if (existing.TryGetValue(party.Code, out var row))
            {
                row.Name = party.Name;
                row.RegionalGroup = party.Group;
                row.Instruments = party.Instruments;
                row.UpdatedAt = now;
            }
            else
            {
                db.StatesParties.Add(new StatePartyEntity { Code = party.Code, Name = party.Name, RegionalGroup = party.Group, Instruments = party.Instruments, UpdatedAt = now });
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
    }

    /// <summary>Parses and checks an import file: every problem with its line.</summary>
    public static (IReadOnlyList<StateParty> Parties, IReadOnlyList<RegistryProblem> Problems) Check(ReadOnlySpan<byte> file)
    {
        if (!CsvTable.Parse(file).TryGetValue(out var document, out var csvProblem))
        {
            return ([], [new RegistryProblem(csvProblem.Line, string.Empty, "not-csv", csvProblem.Message)]);
        }

        var problems = new List<RegistryProblem>();
        var columns = Columns.ToDictionary(c => c, document.Column, StringComparer.Ordinal);
        foreach (var (name, index) in columns.Where(c => c.Value < 0))
        {
            problems.Add(new RegistryProblem(1, name, "missing-column", name));
        }

        if (problems.Count > 0)
        {
            return ([], problems);
        }

        var parties = new List<StateParty>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in document.Rows)
        {
            var code = row[columns["iso3"]].ToUpperInvariant();
            var name = row[columns["name"]];
            var groupText = row[columns["regional_group"]];
            var instrumentsText = row[columns["instruments"]];
            var before = problems.Count;
            if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
            {
                problems.Add(new RegistryProblem(row.Line, "iso3", "invalid-code", code));
            }
            else if (!seen.Add(code))
            {
                problems.Add(new RegistryProblem(row.Line, "iso3", "duplicate-state", code));
            }

            if (name.Length is 0 or > 200)
            {
                problems.Add(new RegistryProblem(row.Line, "name", "invalid-name", name.Length.ToString(CultureInfo.InvariantCulture)));
            }

            if (!RegionalGroupCodes.TryParse(groupText, out var group))
            {
                problems.Add(new RegistryProblem(row.Line, "regional_group", "invalid-regional-group", groupText));
            }

            var instruments = Instruments.None;
            if (instrumentsText.Length > 0 && !InstrumentCodes.TryParse(instrumentsText, out instruments))
            {
                problems.Add(new RegistryProblem(row.Line, "instruments", "invalid-instruments", instrumentsText));
            }

            if (problems.Count == before)
            {
                parties.Add(new StateParty(code, name, group, instruments));
            }
        }

        return problems.Count == 0 ? (parties, []) : ([], problems);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "States-parties registry: {Count} States imported")]
        public static partial void Imported(ILogger logger, int count);
    }
}

/// <summary>One problem of a registry import file: line, column, stable code and the value concerned.</summary>
internal sealed record RegistryProblem(int Line, string Column, string Code, string Value);
