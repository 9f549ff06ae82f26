import type { Media } from "@babelwire/core";

/** Agencies' feeds often leave the type out; their media are photos far more often than not. */
export function isImage(media: Media): boolean {
  return media.type === null || media.type.startsWith("image/");
}

/** The item's lead picture: the first image, whatever comes before it. */
export function mainImage(media: Media[]): Media | undefined {
  return media.find(isImage);
}

/** A medium's MIME type, guessed from its file name when the feed left it out. */
export function mediaType(media: Media): string {
  return media.type ?? imageTypeFromUrl(media.url) ?? "image/jpeg";
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
};

function imageTypeFromUrl(url: string): string | null {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  return (extension && IMAGE_TYPES[extension]) ?? null;
}
