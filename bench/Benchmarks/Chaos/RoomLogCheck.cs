using Gateway.Api;

namespace Benchmarks.Chaos;

/// <summary>
/// After the run and the clients' departure: a room's log is complete (sequences 1..N, no gaps), its replay gives the
/// room's live state, and it matches what the clients did: every stream a WHIP session published was published in the
/// log and, now that everyone left, unpublished; every identity that joined has left.
/// </summary>
public static class RoomLogCheck
{
    public sealed record Result(string Room, int EventsChecked, List<string> Problems);

    public static async Task<Result> CheckAsync(ChaosApi api, string room, IReadOnlyList<ChaosClient> clients)
    {
        var problems = new List<string>();
        var events = new List<RoomEventDto>();
        long? after = 0;
        while (after is { } cursor)
        {
            var page = await api.GetAsync<RoomEventPageDto>($"/v1/rooms/{Uri.EscapeDataString(room)}/events?after={cursor}&limit=500", TimeSpan.FromSeconds(60));
            events.AddRange(page.Events);
            after = page.Events.Count == 0 ? null : page.NextAfter;
        }
        for (int i = 0; i < events.Count; i++)
        {
            if (events[i].Sequence != i + 1)
            {
                problems.Add($"log gap or duplicate: position {i + 1} holds sequence {events[i].Sequence}");
                break;
            }
        }

        // Replay the log's participants and streams.
        var participants = new HashSet<string>(StringComparer.Ordinal);
        var streams = new HashSet<string>(StringComparer.Ordinal);
        var published = new HashSet<string>(StringComparer.Ordinal);
        var unpublished = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            switch (e.Type)
            {
                case "joined": participants.Add(e.Identity!); break;
                case "left" or "kicked": participants.Remove(e.Identity!); break;
                case "published": streams.Add(e.StreamId!); published.Add(e.StreamId!); break;
                case "unpublished": streams.Remove(e.StreamId!); unpublished.Add(e.StreamId!); break;
            }
        }
        var state = await api.GetAsync<RoomStateDto>($"/v1/rooms/{Uri.EscapeDataString(room)}/state", TimeSpan.FromSeconds(60));
        var liveParticipants = state.Participants.Select(p => p.Identity).ToHashSet(StringComparer.Ordinal);
        var liveStreams = state.Streams.Select(s => s.StreamId).ToHashSet(StringComparer.Ordinal);
        if (!liveParticipants.SetEquals(participants))
            problems.Add($"replayed participants [{string.Join(',', participants)}] differ from the room's [{string.Join(',', liveParticipants)}]");
        if (!liveStreams.SetEquals(streams))
            problems.Add($"replayed streams [{string.Join(',', streams)}] differ from the room's [{string.Join(',', liveStreams)}]");

        // What the clients did: each WHIP session published "{sessionId}-0" (WhipHandler's stream ids), and all have left.
        foreach (var client in clients.Where(c => c.IsPublisher))
        {
            foreach (var sessionId in client.SessionIds)
            {
                string streamId = $"{sessionId}-0";
                if (!published.Contains(streamId))
                    problems.Add($"{client.Identity}: stream {streamId} of an opened WHIP session is not published in the log");
                else if (!unpublished.Contains(streamId))
                    problems.Add($"{client.Identity}: stream {streamId} is still published after every client left");
            }
        }
        if (participants.Count > 0)
            problems.Add($"participants still in the room after every client left: {string.Join(',', participants)}");
        return new Result(room, events.Count, problems);
    }
}
