namespace MediaPlane.Contracts;

/// <summary>The media node refused to open a session; the message says why and is safe to show clients.</summary>
public sealed class MediaSessionException(string message) : Exception(message);
