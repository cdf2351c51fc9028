using System.Collections.Immutable;
using System.Security.Cryptography;
using Gateway.Auth;
using Grains.Interfaces.Recordings;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Mvc;

namespace Gateway.Api;

/// <summary>
/// /v1/rooms/{roomId}/recordings (admin): start, list, stop; /v1/recordings/{id}/files/{name}: download, with HTTP
/// range requests (RFC 9110 §14). A file is served from the disk of the process that answers, which is the media
/// node's in the one-process profile and on a shared recording directory.
/// </summary>
public static class RecordingEndpoints
{
    public const int MaxSelection = 64;

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/rooms/{roomId}/recordings", StartAsync).WithName("StartRecording")
            .AcceptsJson<StartRecordingRequest>()
            .Produces<RecordingDto>(StatusCodes.Status201Created)
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        v1.MapGet("/rooms/{roomId}/recordings", ListAsync).WithName("ListRecordings")
            .Produces<RecordingListDto>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        v1.MapDelete("/rooms/{roomId}/recordings/{recordingId}", StopAsync).WithName("StopRecording")
            .Produces<RecordingDto>().ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
        v1.MapGet("/recordings/{recordingId}/files/{name}", DownloadAsync).WithName("DownloadRecordingFile")
            .Produces(StatusCodes.Status200OK).Produces(StatusCodes.Status206PartialContent)
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);
    }

    public static async Task<IResult> StartAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId)
    {
        var (id, _, _) = await RoomAccess.RequireRoomAsync(grains, http.Caller(), roomId, RoomAccess.Admin, RoomAccess.NotAdmin);
        var body = await RequestInput.ReadJsonAsync(http, GatewayJsonContext.Default.StartRecordingRequest, new StartRecordingRequest());
        string container = body.Container?.ToLowerInvariant() ?? "webm";
        if (container is not ("webm" or "mp4"))
            throw ApiProblem.BadRequest("container must be \"webm\" or \"mp4\".");
        var participants = Ids(body.Participants, "participants");
        var streams = Ids(body.StreamIds, "streamIds");
        string recordingId = "rec-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var info = await Call(() => grains.GetGrain<IRecordingGrain>(recordingId).StartAsync(new RecordingSpec(id, container, participants, streams)));
        return TypedResults.Created($"/v1/rooms/{id}/recordings/{recordingId}", ToDto(info));
    }

    public static async Task<IResult> ListAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId)
    {
        var (id, _, _) = await RoomAccess.RequireRoomAsync(grains, http.Caller(), roomId, RoomAccess.Admin, RoomAccess.NotAdmin);
        var ids = await grains.GetGrain<IRoomRecordingsGrain>(id).ListAsync();
        var infos = await Task.WhenAll(ids.Select(r => grains.GetGrain<IRecordingGrain>(r).GetAsync()));
        return TypedResults.Ok(new RecordingListDto([.. infos.Where(i => i is not null).Select(i => ToDto(i!))]));
    }

    public static async Task<IResult> StopAsync(HttpContext http, [FromServices] IGrainFactory grains, string roomId, string recordingId)
    {
        var (id, _, _) = await RoomAccess.RequireRoomAsync(grains, http.Caller(), roomId, RoomAccess.Admin, RoomAccess.NotAdmin);
        var recording = grains.GetGrain<IRecordingGrain>(RequestInput.RequireId(recordingId, "recording id"));
        if (await recording.GetAsync() is not { } existing || existing.Spec.RoomId != id)
            throw ApiProblem.NotFound($"Room '{id}' has no recording '{recordingId}'.");
        return TypedResults.Ok(ToDto(await Call(recording.StopAsync)));
    }

    public static async Task<IResult> DownloadAsync(HttpContext http, [FromServices] IGrainFactory grains, [FromServices] IConfiguration config,
        string recordingId, string name)
    {
        string rid = RequestInput.RequireId(recordingId, "recording id");
        var info = await grains.GetGrain<IRecordingGrain>(rid).GetAsync();
        // Scope before existence, as for rooms: only an admin of the recording's room learns it exists.
        if (info is null || !http.Caller().IsAdminOf(info.Spec.RoomId))
            throw info is null ? ApiProblem.NotFound($"No recording '{rid}'.") : ApiProblem.Forbidden(RoomAccess.NotAdmin);
        var file = info.Files.FirstOrDefault(f => f.Name == name) ?? throw ApiProblem.NotFound($"Recording '{rid}' has no file '{name}'.");
        string type = name.EndsWith(".mp4", StringComparison.Ordinal) ? "video/mp4" : "video/webm";
        if (file.Location is { } uri && uri.StartsWith("http", StringComparison.Ordinal))
            return await BlobAsync(config, rid, name, type);
        if (file.Location is not { } path || !File.Exists(path))
            throw ApiProblem.NotFound($"File '{name}' is not readable here (it was written by media node {file.NodeId}).");
        // Range and If-Range handled by ASP.NET Core; a file still being written is served as far as it is now.
        return TypedResults.PhysicalFile(path, type, name, enableRangeProcessing: true);
    }

    /// <summary>Azure profile: the uploaded blob, read with the cluster's connection string, ranges served from a seekable blob stream.</summary>
    private static async Task<IResult> BlobAsync(IConfiguration config, string recordingId, string name, string type)
    {
        string? connection = config["Cluster:ConnectionString"];
        if (string.IsNullOrEmpty(connection))
            throw ApiProblem.NotFound($"File '{name}' is in blob storage, which this gateway is not configured for.");
        var container = new BlobContainerClient(connection, config["Recording:BlobContainer"] ?? RecordingBlobs.DefaultContainer);
        var blob = container.GetBlobClient(RecordingBlobs.Name(recordingId, name));
        try
        {
            var stream = await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false));
            return TypedResults.Stream(stream, type, name, enableRangeProcessing: true);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            throw ApiProblem.NotFound($"File '{name}' is not in blob storage.");
        }
    }

    private static ImmutableArray<string> Ids(string[]? values, string what)
    {
        if (values is null)
            return [];
        if (values.Length > MaxSelection)
            throw ApiProblem.BadRequest($"{what}: at most {MaxSelection}.");
        return [.. values.Select(v => RequestInput.RequireId(v, what)).Distinct()];
    }

    private static async Task<RecordingInfo> Call(Func<Task<RecordingInfo>> call)
    {
        try
        {
            return await call();
        }
        catch (RecordingNotFoundException e)
        {
            throw ApiProblem.NotFound(e.Message);
        }
        catch (RecordingException e)
        {
            throw ApiProblem.Conflict(e.Message);
        }
    }

    public static RecordingDto ToDto(RecordingInfo r) => new(
        r.RecordingId, r.Spec.RoomId, r.Spec.Container, ApiMapping.Word(r.Status), r.StartedAt, r.StoppedAt, r.Error,
        [.. r.Files.Select(f => new RecordingFileDto(f.Name, f.Identity, f.Part, f.NodeId, f.State, f.StartedAt,
            f.StartedAt?.AddSeconds(f.DurationSeconds), f.DurationSeconds, f.Bytes, f.Error,
            $"/v1/recordings/{r.RecordingId}/files/{Uri.EscapeDataString(f.Name)}"))]);
}
